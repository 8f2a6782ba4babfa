package io.github.gkeinference.serving.gateway.epp;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The endpoint picker's configuration file ({@code EndpointPickerConfig}): plugin instances,
 * scheduling profiles, data-layer sources and flow control, in the API group the picker image reads
 * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * site-src/guides/epp-configuration/config-text.md; apix/config/v1alpha1/
 * endpointpickerconfig_types.go).
 *
 * <p>{@code build()} rejects what the picker would reject or silently misread, each as one
 * violation with its path: a profile entry naming no plugin, several pickers without explicit
 * profiles, two pickers in one profile, several profiles without a profile handler, a scorer whose
 * data producer is not listed, a data source or flow-control policy naming no plugin. The checks
 * against the model servers are in {@link EppServerChecks}.
 *
 * <pre>{@code
 * EndpointPickerConfig epp = EndpointPickerConfig.builder()
 *     .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
 *     .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
 *     .addSchedulingProfile(SchedulingProfile.of("default",
 *         SchedulingProfile.Entry.weighted("queue-scorer", 2),
 *         SchedulingProfile.Entry.of("max-score-picker")))
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableEndpointPickerConfig.class)
public interface EndpointPickerConfig {
  /** The file's {@code kind}. */
  String KIND = "EndpointPickerConfig";

  /** The name of the profile upstream creates when none is listed, and the SDK's single one. */
  String DEFAULT_PROFILE = "default";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this configuration. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Returns the weighted scorer set the GIE chart documents: prefix cache, queue and KV-cache
   * utilization scorers and the max-score picker in one {@code default} profile; a weight of zero
   * leaves a scorer out (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * config/charts/inferencepool/README.md; the weights 3, 2, 2 are the picker's built-in default,
   * pkg/epp/config/loader/defaults.go).
   *
   * @param prefixCache the {@code prefix-cache-scorer} weight
   * @param queue the {@code queue-scorer} weight
   * @param kvCacheUtilization the {@code kv-cache-utilization-scorer} weight
   * @return the configuration
   */
  static EndpointPickerConfig scorers(int prefixCache, int queue, int kvCacheUtilization) {
    Builder b = builder();
    List<SchedulingProfile.Entry> entries = new ArrayList<>();
    scorer(b, entries, KnownPlugin.PREFIX_CACHE_SCORER, prefixCache);
    scorer(b, entries, KnownPlugin.QUEUE_SCORER, queue);
    scorer(b, entries, KnownPlugin.KV_CACHE_UTILIZATION_SCORER, kvCacheUtilization);
    b.addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER));
    entries.add(SchedulingProfile.Entry.of(KnownPlugin.MAX_SCORE_PICKER.type()));
    return b.addSchedulingProfile(new SchedulingProfile(DEFAULT_PROFILE, entries)).build();
  }

  private static void scorer(
      Builder b, List<SchedulingProfile.Entry> entries, KnownPlugin scorer, int weight) {
    if (weight > 0) {
      b.addPlugin(EppPlugin.of(scorer));
      entries.add(SchedulingProfile.Entry.weighted(scorer.type(), weight));
    }
  }

  /**
   * Returns precise prefix-cache routing as llm-d configures it: the tokenizer, the precise
   * prefix-cache scorer subscribing to every server's KV events, KV-cache utilization and queue
   * scorers and the max-score picker, with the data-layer sources the scorer needs
   * (llm-d/llm-d-inference-scheduler v0.8.0 deploy/config/epp-precise-prefix-cache-config.yaml;
   * {@code kvEventsConfig} as in pkg/epp/framework/plugins/scheduling/scorer/preciseprefixcache/
   * README.md at commit 520af478). Needs an llm-d picker image.
   *
   * @param routing the settings the servers share with the picker
   * @return the configuration
   */
  static EndpointPickerConfig precisePrefix(PrecisePrefixRouting routing) {
    Map<String, Object> tokenProcessor = new LinkedHashMap<>();
    tokenProcessor.put("blockSize", routing.blockSize());
    tokenProcessor.put("hashSeed", routing.hashSeed());
    Map<String, Object> kvEvents = new LinkedHashMap<>();
    kvEvents.put("topicFilter", PrecisePrefixRouting.TOPIC_PREFIX + "@");
    kvEvents.put("discoverPods", true);
    kvEvents.put("podDiscoveryConfig", Map.of("socketPort", routing.kvEventsPort()));
    Map<String, Object> scorer = new LinkedHashMap<>();
    scorer.put("tokenProcessorConfig", tokenProcessor);
    scorer.put(
        "indexerConfig", Map.of("tokenizersPoolConfig", Map.of("modelName", routing.modelName())));
    scorer.put("kvEventsConfig", kvEvents);
    String precise = KnownPlugin.PRECISE_PREFIX_CACHE_SCORER.type();
    return builder()
        .addPlugin(EppPlugin.of(KnownPlugin.TOKENIZER, Map.of("modelName", routing.modelName())))
        .addPlugin(EppPlugin.of(KnownPlugin.ENDPOINT_NOTIFICATION_SOURCE))
        .addPlugin(EppPlugin.of(KnownPlugin.METRICS_DATA_SOURCE))
        .addPlugin(EppPlugin.of(KnownPlugin.CORE_METRICS_EXTRACTOR))
        .addPlugin(EppPlugin.of(KnownPlugin.SINGLE_PROFILE_HANDLER))
        .addPlugin(EppPlugin.of(KnownPlugin.PRECISE_PREFIX_CACHE_SCORER, scorer))
        .addPlugin(EppPlugin.of(KnownPlugin.KV_CACHE_UTILIZATION_SCORER))
        .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
        .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
        .addDataSource(
            DataSource.of(
                KnownPlugin.METRICS_DATA_SOURCE.type(), KnownPlugin.CORE_METRICS_EXTRACTOR.type()))
        .addDataSource(DataSource.of(KnownPlugin.ENDPOINT_NOTIFICATION_SOURCE.type(), precise))
        .addSchedulingProfile(
            SchedulingProfile.of(
                DEFAULT_PROFILE,
                SchedulingProfile.Entry.of(KnownPlugin.TOKENIZER.type()),
                SchedulingProfile.Entry.weighted(precise, 2),
                SchedulingProfile.Entry.weighted(KnownPlugin.KV_CACHE_UTILIZATION_SCORER.type(), 1),
                SchedulingProfile.Entry.weighted(KnownPlugin.QUEUE_SCORER.type(), 1),
                SchedulingProfile.Entry.of(KnownPlugin.MAX_SCORE_PICKER.type())))
        .build();
  }

  /**
   * The API group the file is written in; default {@link
   * EppApiGroup#GATEWAY_API_INFERENCE_EXTENSION}, which the released picker images read.
   */
  @Value.Default
  default EppApiGroup apiGroup() {
    return EppApiGroup.GATEWAY_API_INFERENCE_EXTENSION;
  }

  /** The plugin instances. */
  List<EppPlugin> plugins();

  /**
   * The scheduling profiles; when empty, upstream builds one {@code default} profile from every
   * plugin.
   */
  List<SchedulingProfile> schedulingProfiles();

  /** The data-layer sources; when empty, the section is left to upstream's defaults. */
  List<DataSource> dataSources();

  /** Flow control; when set, the {@code flowControl} feature gate is rendered too. */
  Optional<FlowControl> flowControl();

  /**
   * Feature gates the picker enables besides {@code flowControl} (which {@link #flowControl()}
   * adds), for example {@code prepareDataPlugins}, which llm-d's prefix-based P/D decider needs
   * (llm-d/llm-d-inference-scheduler v0.8.0 deploy/config/pd-epp-config.yaml).
   */
  List<String> featureGates();

  /**
   * Returns the plugin instance of a name.
   *
   * @param name the instance name
   * @return the plugin, if one has that name
   */
  default Optional<EppPlugin> plugin(String name) {
    return plugins().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * Checks the configuration's own consistency.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    validate(v);
    v.throwIfErrors();
  }

  /**
   * Adds the configuration's own violations to {@code v}.
   *
   * @param v the collector, at this configuration's path
   */
  default void validate(Violations v) {
    for (int i = 0; i < featureGates().size(); i++) {
      v.require(
          !featureGates().get(i).isBlank(),
          "featureGates[" + i + "]",
          featureGates().get(i),
          "must not be blank");
    }
    Set<String> names = new HashSet<>();
    Set<String> types = new HashSet<>();
    List<EppPlugin> pickers = new ArrayList<>();
    for (int i = 0; i < plugins().size(); i++) {
      EppPlugin p = plugins().get(i);
      Violations at = v.at("plugins", i);
      at.require(!p.name().isBlank(), "name", p.name(), "must not be blank");
      at.require(names.add(p.name()), "name", p.name(), "must be unique among the plugins");
      at.require(!p.type().isBlank(), "type", p.type(), "must not be blank");
      plugin(p, at);
      types.add(p.type());
      if (p.kind() == PluginKind.PICKER) {
        pickers.add(p);
      }
    }
    for (int i = 0; i < plugins().size(); i++) {
      EppPlugin p = plugins().get(i);
      Optional<String> producer = KnownPlugin.of(p.type()).flatMap(KnownPlugin::requiredProducer);
      if (producer.isPresent() && !types.contains(producer.get())) {
        v.at("plugins", i)
            .error(
                "type",
                p.type(),
                "needs the data producer '"
                    + producer.get()
                    + "' listed among the plugins: without it the scorer has no data"
                    + " and scores every endpoint alike");
      }
    }
    v.require(
        pickers.size() <= 1 || !schedulingProfiles().isEmpty(),
        "schedulingProfiles",
        pickers.size() + " pickers",
        "must list the profiles explicitly when there are several pickers: the profile upstream"
            + " generates takes every plugin, and a profile holds one picker");
    Set<String> profiles = new HashSet<>();
    for (int i = 0; i < schedulingProfiles().size(); i++) {
      SchedulingProfile s = schedulingProfiles().get(i);
      Violations at = v.at("schedulingProfiles", i);
      at.require(!s.name().isBlank(), "name", s.name(), "must not be blank");
      at.require(profiles.add(s.name()), "name", s.name(), "must be unique among the profiles");
      int profilePickers = 0;
      for (int j = 0; j < s.plugins().size(); j++) {
        SchedulingProfile.Entry e = s.plugins().get(j);
        Violations entry = at.at("plugins", j);
        Optional<EppPlugin> target = plugin(e.pluginRef());
        entry.require(
            target.isPresent(),
            "pluginRef",
            e.pluginRef(),
            "must name a plugin of this configuration");
        boolean scorer = target.map(t -> t.kind() == PluginKind.SCORER).orElse(false);
        entry.require(
            !scorer || (e.weight() > 0 && Double.isFinite(e.weight())),
            "weight",
            e.weight(),
            "must be a finite number above zero for a scorer");
        if (target.isPresent() && target.get().kind() == PluginKind.PICKER) {
          profilePickers++;
        }
      }
      at.require(
          profilePickers <= 1, "plugins", profilePickers + " pickers", "must hold one picker");
    }
    boolean handler = plugins().stream().anyMatch(p -> p.kind() == PluginKind.PROFILE_HANDLER);
    v.require(
        schedulingProfiles().size() <= 1 || handler,
        "plugins",
        schedulingProfiles().size() + " profiles",
        "must include a profile handler when there are several scheduling profiles");
    for (int i = 0; i < dataSources().size(); i++) {
      DataSource d = dataSources().get(i);
      Violations at = v.at("dataSources", i);
      at.require(
          plugin(d.pluginRef()).isPresent(),
          "pluginRef",
          d.pluginRef(),
          "must name a plugin of this configuration");
      for (int j = 0; j < d.extractors().size(); j++) {
        at.at("extractors", j)
            .require(
                plugin(d.extractors().get(j)).isPresent(),
                "",
                d.extractors().get(j),
                "must name a plugin of this configuration");
      }
    }
    flowControl()
        .ifPresent(
            f -> {
              for (int i = 0; i < f.priorityBands().size(); i++) {
                FlowControl.PriorityBand b = f.priorityBands().get(i);
                Violations at = v.at("flowControl").at("priorityBands", i);
                policy(at, "fairnessPolicyRef", b.fairnessPolicyRef());
                policy(at, "orderingPolicyRef", b.orderingPolicyRef());
                at.require(b.maxRequests() >= 0, "maxRequests", b.maxRequests(), "must be >= 0");
              }
            });
  }

  /** Checks a plugin's kind against its type and the parameters upstream defines for it. */
  private static void plugin(EppPlugin p, Violations at) {
    Optional<KnownPlugin> known = KnownPlugin.of(p.type());
    if (known.isEmpty()) {
      at.require(
          p.kind() != PluginKind.UNKNOWN || p.type().isBlank(),
          "type",
          p.type(),
          "is not a plugin type the SDK knows (KnownPlugin): give its kind, one of "
              + java.util.Arrays.stream(PluginKind.values())
                  .filter(k -> k != PluginKind.UNKNOWN)
                  .toList());
    } else {
      at.require(
          p.kind() == known.get().kind(),
          "kind",
          p.kind(),
          "must be " + known.get().kind() + ", the kind of " + p.type());
    }
    Violations params = at.at("parameters");
    Optional<Set<String>> accepted = known.flatMap(KnownPlugin::parameterNames);
    for (Map.Entry<String, Object> e : p.parameters().entrySet()) {
      if (accepted.isPresent() && !accepted.get().contains(e.getKey())) {
        params.error(
            e.getKey(),
            e.getValue(),
            accepted.get().isEmpty()
                ? "is not read: " + p.type() + " takes no parameters"
                : "is not a parameter of " + p.type() + ", which reads " + accepted.get());
      } else if (e.getKey().equals(KnownPlugin.MAX_NUM_OF_ENDPOINTS) && accepted.isPresent()) {
        params.require(
            (e.getValue() instanceof Integer || e.getValue() instanceof Long)
                && ((Number) e.getValue()).longValue() >= 1,
            e.getKey(),
            e.getValue(),
            "must be a whole number of at least 1 (the picker silently picks 1 otherwise)");
      } else if (!jsonValue(e.getValue())) {
        params.error(
            e.getKey(),
            e.getValue().getClass().getSimpleName(),
            "must be a string, number, boolean, or a map or list of those");
      }
    }
  }

  /** Whether a parameter value can be written to the picker's file as JSON/YAML. */
  private static boolean jsonValue(Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return true;
    }
    if (value instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .allMatch(
              e -> e.getKey() instanceof String && e.getValue() != null && jsonValue(e.getValue()));
    }
    if (value instanceof List<?> l) {
      return l.stream().allMatch(v -> v != null && jsonValue(v));
    }
    return false;
  }

  private void policy(Violations at, String field, String ref) {
    boolean builtIn =
        KnownPlugin.of(ref).map(k -> k.kind() == PluginKind.FLOW_CONTROL_POLICY).orElse(false);
    at.require(
        builtIn || plugin(ref).isPresent(),
        field,
        ref,
        "must name a plugin of this configuration or a built-in flow-control policy");
  }

  /**
   * Returns the file the picker reads with {@code --config-file}.
   *
   * @return the YAML text
   */
  default String toYaml() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", apiGroup().apiVersion());
    root.put("kind", KIND);
    List<String> gates = new ArrayList<>(featureGates());
    if (flowControl().isPresent() && !gates.contains("flowControl")) {
      gates.add("flowControl");
    }
    if (!gates.isEmpty()) {
      root.put("featureGates", gates);
    }
    List<Object> plugins = new ArrayList<>();
    for (EppPlugin p : plugins()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", p.type());
      if (!p.name().equals(p.type())) {
        m.put("name", p.name());
      }
      if (!p.parameters().isEmpty()) {
        m.put("parameters", p.parameters());
      }
      plugins.add(m);
    }
    root.put("plugins", plugins);
    if (!dataSources().isEmpty()) {
      List<Object> sources = new ArrayList<>();
      for (DataSource d : dataSources()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pluginRef", d.pluginRef());
        m.put("extractors", d.extractors().stream().map(e -> Map.of("pluginRef", e)).toList());
        sources.add(m);
      }
      root.put("dataLayer", Map.of("sources", sources));
    }
    if (!schedulingProfiles().isEmpty()) {
      List<Object> profiles = new ArrayList<>();
      for (SchedulingProfile s : schedulingProfiles()) {
        List<Object> refs = new ArrayList<>();
        for (SchedulingProfile.Entry e : s.plugins()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("pluginRef", e.pluginRef());
          if (plugin(e.pluginRef()).map(p -> p.kind() == PluginKind.SCORER).orElse(false)) {
            m.put("weight", e.weight());
          }
          refs.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("plugins", refs);
        profiles.add(m);
      }
      root.put("schedulingProfiles", profiles);
    }
    flowControl()
        .ifPresent(
            f -> {
              List<Object> bands = new ArrayList<>();
              for (FlowControl.PriorityBand b : f.priorityBands()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("priority", b.priority());
                if (b.maxRequests() > 0) {
                  m.put("maxRequests", b.maxRequests());
                }
                m.put("fairnessPolicyRef", b.fairnessPolicyRef());
                m.put("orderingPolicyRef", b.orderingPolicyRef());
                bands.add(m);
              }
              root.put("flowControl", Map.of("priorityBands", bands));
            });
    return EppYaml.write(root);
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableEndpointPickerConfig.Builder {}
}
