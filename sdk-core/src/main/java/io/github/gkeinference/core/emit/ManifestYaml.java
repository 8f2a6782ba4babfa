package io.github.gkeinference.core.emit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.RenderedSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Deterministic YAML for Kubernetes objects: the same object always gives the same bytes.
 *
 * <p>Keys are ordered {@code apiVersion}, {@code kind}, {@code metadata}, {@code name}, then
 * alphabetically, at every level; null values are left out (empty maps such as {@code emptyDir: {}}
 * are kept, because they mean something); strings that YAML would read as another type are quoted;
 * documents are separated by {@code ---} and the text ends with a newline.
 */
public final class ManifestYaml {
  private static final List<String> FIRST_KEYS = List.of("apiVersion", "kind", "metadata", "name");
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private ManifestYaml() {}

  /**
   * protobuf's JSON printer, loaded only when a cloud resource is written: its class starts
   * java.util.logging, whose set-up looks for a logger backend in every jar of the class path.
   */
  private static final class Json {
    static final JsonFormat.Printer PRINTER = JsonFormat.printer();

    private Json() {}
  }

  /**
   * Returns one object as a YAML document.
   *
   * @param object a fabric8 object, one of the SDK's typed resources, or any Jackson-serializable
   *     value
   * @return the YAML text, ending with a newline
   */
  public static String toYaml(Object object) {
    try {
      return YAML.writeValueAsString(tree(object));
    } catch (JacksonException e) {
      throw new SdkException("cannot write " + object.getClass().getSimpleName() + " as YAML", e);
    }
  }

  /**
   * Returns one rendered object as a YAML document: the same text as {@link #toYaml(Object)} of its
   * object, written from the tree the resource holds without reading a typed copy back.
   *
   * @param resource the resource
   * @return the YAML text, ending with a newline
   */
  public static String toYaml(KubernetesResource resource) {
    try {
      return YAML.writeValueAsString(normalize(resource.tree()));
    } catch (JacksonException e) {
      throw new SdkException("cannot write " + resource + " as YAML", e);
    }
  }

  /**
   * Returns the Kubernetes objects of a set as one multi-document YAML text, in apply order.
   *
   * @param set the rendered set; its cloud resources are not included
   * @return the documents separated by {@code ---}
   */
  public static String toYaml(RenderedSet set) {
    List<String> documents = new ArrayList<>();
    for (KubernetesResource r : set.kubernetesResources()) {
      documents.add(toYaml(r));
    }
    return String.join("---\n", documents);
  }

  /**
   * Returns a cloud resource's message as JSON, in the protobuf JSON mapping the Google APIs use.
   *
   * <p>Fields come in the message's field order. The characters {@code = < > & '} are written as
   * they are rather than as Unicode escapes, so PromQL queries and filters read as written; the
   * text parses back into an equal message with {@code JsonFormat.parser()}.
   *
   * @param resource the resource
   * @return the JSON text, ending with a newline
   */
  public static String toJson(CloudResource resource) {
    try {
      return unescapeHtmlSafe(Json.PRINTER.print(resource.message())) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new SdkException("cannot write " + resource + " as JSON", e);
    }
  }

  /**
   * Undoes the HTML-safe escapes in protobuf printer output. The printer writes strings with a
   * default Gson, which always escapes {@code = < > & '} as a backslash, {@code u00} and two hex
   * digits; protobuf has no option to turn that off (protocolbuffers/protobuf pull request 9740).
   * Every other escape, such as {@code \\} or {@code \"}, is copied whole, so an escaped backslash
   * followed by the text {@code u003d} stays as it was. JSON has backslashes only inside strings,
   * so only string contents change.
   */
  private static String unescapeHtmlSafe(String json) {
    StringBuilder out = new StringBuilder(json.length());
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      int end = json.charAt(i + 1) == 'u' ? i + 6 : i + 2;
      String escape = json.substring(i, end);
      out.append(
          switch (escape) {
            case "\\u003d" -> "=";
            case "\\u003c" -> "<";
            case "\\u003e" -> ">";
            case "\\u0026" -> "&";
            case "\\u0027" -> "'";
            default -> escape;
          });
      i = end;
    }
    return out.toString();
  }

  /**
   * Returns the normalized JSON tree of an object: keys ordered as in YAML, nulls removed.
   *
   * @param object the object
   * @return a new tree
   */
  public static JsonNode tree(Object object) {
    JsonNode raw = Fabric8Runtime.writer().valueToTree(object);
    return normalize(raw);
  }

  private static JsonNode normalize(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isNull()) {
          fields.add(e);
        }
      }
      fields.sort(ManifestYaml::compareKeys);
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : fields) {
        sorted.set(e.getKey(), normalize(e.getValue()));
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (JsonNode element : node) {
        array.add(normalize(element));
      }
      return array;
    }
    return node;
  }

  private static int compareKeys(Map.Entry<String, JsonNode> a, Map.Entry<String, JsonNode> b) {
    int ia = FIRST_KEYS.indexOf(a.getKey());
    int ib = FIRST_KEYS.indexOf(b.getKey());
    if (ia >= 0 || ib >= 0) {
      return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
    }
    return a.getKey().compareTo(b.getKey());
  }
}
