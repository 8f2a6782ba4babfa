package io.github.gkeinference.serving.gateway.epp;

import io.github.gkeinference.core.emit.YamlDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads an endpoint picker's configuration file ({@code EndpointPickerConfig}, as a ConfigMap holds
 * it for {@code --config-file}) back into an {@link EndpointPickerConfig}, so that a bundle read
 * from files gets the same checks against its servers ({@link EppServerChecks}) as one the SDK
 * rendered.
 *
 * <p>It keeps what the server checks read: the plugins with their names and parameters, and the
 * scheduling profiles. A plugin type the SDK does not list in {@link KnownPlugin} gets the kind
 * upstream's naming convention gives its type ({@code -scorer}, {@code -filter}, {@code -picker},
 * {@code -profile-handler}, ...); a type that follows none is left out, with the profile entries
 * that reference it. Data-layer sources and flow control are not read.
 */
public final class EppConfigFile {
  /** Type suffixes of upstream's plugin types and the kind each names. */
  private static final Map<String, PluginKind> SUFFIXES = suffixes();

  private EppConfigFile() {}

  private static Map<String, PluginKind> suffixes() {
    Map<String, PluginKind> m = new LinkedHashMap<>();
    m.put("-profile-handler", PluginKind.PROFILE_HANDLER);
    m.put("-scorer", PluginKind.SCORER);
    m.put("-filter", PluginKind.FILTER);
    m.put("-picker", PluginKind.PICKER);
    m.put("-producer", PluginKind.DATA_PRODUCER);
    m.put("-source", PluginKind.DATA_SOURCE);
    m.put("-extractor", PluginKind.DATA_EXTRACTOR);
    m.put("-policy", PluginKind.FLOW_CONTROL_POLICY);
    m.put("-detector", PluginKind.SATURATION_DETECTOR);
    return m;
  }

  /**
   * Reads a configuration file.
   *
   * @param yaml the file's text
   * @return the configuration
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the file breaks the
   *     configuration's own rules, with paths inside the file ({@code plugins[2].type})
   * @throws io.github.gkeinference.core.SdkException when the text is not YAML
   */
  public static EndpointPickerConfig read(String yaml) {
    List<JsonNode> docs = YamlDocuments.read(yaml);
    JsonNode root =
        docs.isEmpty() ? tools.jackson.databind.node.MissingNode.getInstance() : docs.get(0);
    EndpointPickerConfig.Builder b = EndpointPickerConfig.builder();
    String apiVersion = root.path("apiVersion").asString("");
    for (EppApiGroup g : EppApiGroup.values()) {
      if (g.apiVersion().equals(apiVersion)) {
        b.apiGroup(g);
      }
    }
    Set<String> kept = new java.util.HashSet<>();
    for (JsonNode p : root.path("plugins")) {
      String type = p.path("type").asString("");
      Optional<PluginKind> kind =
          KnownPlugin.of(type).map(KnownPlugin::kind).or(() -> kindByName(type));
      if (kind.isEmpty()) {
        continue;
      }
      String name = p.path("name").asString(type);
      kept.add(name);
      Map<String, Object> parameters = new LinkedHashMap<>();
      p.path("parameters")
          .properties()
          .forEach(e -> parameters.put(e.getKey(), value(e.getValue())));
      b.addPlugin(
          EppPlugin.builder()
              .type(type)
              .name(name)
              .kind(kind.get())
              .parameters(parameters)
              .build());
    }
    for (JsonNode s : root.path("schedulingProfiles")) {
      List<SchedulingProfile.Entry> entries = new ArrayList<>();
      for (JsonNode e : s.path("plugins")) {
        String ref = e.path("pluginRef").asString("");
        if (kept.contains(ref)) {
          // upstream's default weight is 1
          entries.add(SchedulingProfile.Entry.weighted(ref, e.path("weight").asDouble(1)));
        }
      }
      b.addSchedulingProfile(new SchedulingProfile(s.path("name").asString(""), entries));
    }
    return b.build();
  }

  private static Optional<PluginKind> kindByName(String type) {
    return SUFFIXES.entrySet().stream()
        .filter(e -> type.endsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** A YAML value as the strings, numbers, booleans, maps and lists parameters hold. */
  private static Object value(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      node.properties().forEach(e -> m.put(e.getKey(), value(e.getValue())));
      return m;
    }
    if (node.isArray()) {
      List<Object> l = new ArrayList<>();
      node.forEach(n -> l.add(value(n)));
      return l;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asString("");
  }
}
