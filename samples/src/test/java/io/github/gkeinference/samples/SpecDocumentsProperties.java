package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Spec documents generated from the spec files' own JSON Schema, for every kind {@link
 * SpecFiles#standard()} knows: each either renders objects that are valid against the official
 * schemas, or is refused with an {@link SdkValidationException}; any other exception fails.
 *
 * <p>Values come from pools of plausible and hostile values chosen by the field's name (names,
 * model ids, accelerators, machine types, images, CIDRs, regions, paths, numbers at and beyond
 * their limits), with wrong types and unknown fields mixed in, so that both outcomes are common. A
 * document with a {@code target} (an autoscaler's workload) follows a valid server document in half
 * of the cases, so that the reference can resolve.
 */
class SpecDocumentsProperties {
  private static final int TRIES = 10_000;
  private static final SpecFiles FILES = SpecFiles.standard();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonNode SCHEMA = JSON.readTree(FILES.schema());
  private static final SchemaValidator SCHEMAS = SchemaValidator.forTests();

  /** A valid server document that a referencing document can name as {@code vllm}. */
  private static final String SERVER =
      """
      {"kind": "VllmServer", "spec": {"name": "vllm", "namespace": "inference",
       "modelId": "meta-llama/Llama-3.1-8B-Instruct",
       "source": {"type": "huggingFace", "modelId": "meta-llama/Llama-3.1-8B-Instruct"},
       "placement": {"accelerator": "nvidia-l4", "devices": 1, "machineType": "g2-standard-16"},
       "maxModelLen": 8192}}
      """;

  private static final List<String> NAMES =
      List.of("vllm", "llama", "gw", "a", "inference", "Bad Name", "", "x".repeat(70), "-a");
  private static final List<String> MODELS =
      List.of(
          "meta-llama/Llama-3.1-8B-Instruct",
          "meta-llama/Llama-3.3-70B-Instruct",
          "google/gemma-3-27b-it",
          "Qwen/Qwen3-32B",
          "nobody/none",
          "not a model");
  private static final List<String> ACCELERATORS =
      List.of(
          "nvidia-l4",
          "nvidia-h100-80gb",
          "nvidia-a100-80gb",
          "nvidia-h200-141gb",
          "tpu-v6e-slice",
          "tpu-v5-lite-podslice",
          "nvidia-z9000",
          "bogus");
  private static final List<String> MACHINES =
      List.of(
          "g2-standard-16",
          "g2-standard-48",
          "a3-highgpu-8g",
          "a2-ultragpu-1g",
          "ct6e-standard-4t",
          "n2-standard-8",
          "x9-huge");
  private static final List<String> IMAGES =
      List.of("vllm/vllm-openai:v0.11.2", "vllm/vllm-openai:latest", "vllm/vllm-openai", "a;b");
  private static final List<String> CIDRS =
      List.of("10.129.0.0/23", "0.0.0.0/0", "10.0.0.0/33", "300.1.1.1/24", "10.128.16.0/23");
  private static final List<String> LOCATIONS =
      List.of("us-east4", "us-central1", "us-central1-a", "europe-west4", "mars-central1", "x");
  private static final List<String> PATHS =
      List.of("/data", "/models", "/", "/etc", "/dev/shm", "relative", "meta-llama/llama");
  private static final List<String> OTHER =
      List.of(
          "auto",
          "fp8",
          "int3",
          "2x2",
          "2x4",
          "bf16",
          "my-bucket",
          "inference",
          "8192",
          "true",
          "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
          "$(VAR)",
          "${VAR}",
          "",
          "ü",
          "a\nb");
  private static final List<Long> INTEGERS =
      List.of(0L, 1L, 1L, 2L, 4L, 8L, 16L, -1L, 8192L, 131_072L, 2_147_483_647L, 1L << 40);
  private static final List<Double> NUMBERS = List.of(0.0, 0.5, 0.9, 1.0, 1.5, -1.0, 1e12);

  private static final Map<String, AtomicInteger> GENERATED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> RENDERED = new ConcurrentHashMap<>();

  @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.OFF)
  void anySpecDocument_rendersSchemaValid_orIsRefusedWithAValidationException(
      @ForAll("documents") Document document) {
    GENERATED.computeIfAbsent(document.kind(), k -> new AtomicInteger()).incrementAndGet();
    RenderedSet set;
    try {
      set = FILES.render(document.text());
    } catch (SdkValidationException e) {
      assertThat(e.violations()).as(document.text()).isNotEmpty();
      return;
    }
    RENDERED.computeIfAbsent(document.kind(), k -> new AtomicInteger()).incrementAndGet();
    for (HasMetadata o : set.kubernetesObjects()) {
      if (!SCHEMAS.knows(o.getApiVersion(), o.getKind())) {
        // only a Manifest document passes through a kind without a schema (another operator's)
        assertThat(document.kind()).as(document.text()).isEqualTo(SpecFiles.MANIFEST);
        continue;
      }
      assertThat(SCHEMAS.validate(o)).as(document.text()).isEmpty();
    }
  }

  @AfterContainer
  static void everyKindWasGenerated_andSomeDocumentsRendered() {
    int total = GENERATED.values().stream().mapToInt(AtomicInteger::get).sum();
    assertThat(total).isGreaterThanOrEqualTo(TRIES);
    assertThat(GENERATED.keySet()).containsAll(FILES.kinds().keySet());
    assertThat(RENDERED).isNotEmpty();
  }

  /** One generated spec file: the kind under test and the text. */
  record Document(String kind, String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  @Provide
  Arbitrary<Document> documents() {
    List<String> kinds = new ArrayList<>(FILES.kinds().keySet());
    kinds.add(SpecFiles.MANIFEST);
    return Arbitraries.randomValue(r -> document(kinds.get(r.nextInt(kinds.size())), r));
  }

  private static Document document(String kind, Random r) {
    ObjectNode doc = NODES.objectNode();
    doc.put("kind", kind);
    if (kind.equals(SpecFiles.MANIFEST)) {
      doc.set("spec", manifest(r));
    } else {
      doc.set("spec", value(specSchema(kind), "spec", r, 0));
    }
    if (r.nextInt(50) == 0) {
      doc.put("extra", "field");
    }
    String text = doc.toString();
    // a referencing kind names a workload of an earlier document: sometimes there is one
    if (text.contains("\"target\"") && r.nextInt(2) == 0) {
      text = SERVER + "---\n" + text.replaceAll("\"target\":\"[^\"]*\"", "\"target\":\"vllm\"");
    }
    return new Document(kind, text);
  }

  private static JsonNode specSchema(String kind) {
    for (JsonNode rule : SCHEMA.path("allOf")) {
      if (kind.equals(rule.at("/if/properties/kind/const").asString(""))) {
        return rule.at("/then/properties/spec");
      }
    }
    throw new IllegalStateException("no schema for kind " + kind);
  }

  private static JsonNode manifest(Random r) {
    ObjectNode o = NODES.objectNode();
    o.put("apiVersion", r.nextInt(10) == 0 ? "v9" : "v1");
    o.put("kind", r.nextInt(10) == 0 ? "Widget" : "ConfigMap");
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", pick(NAMES, r));
    if (r.nextBoolean()) {
      meta.put("namespace", pick(NAMES, r));
    }
    if (r.nextBoolean()) {
      o.putObject("data").put(pick(NAMES, r), pick(OTHER, r));
    }
    return o;
  }

  private static <T> T pick(List<T> values, Random r) {
    return values.get(r.nextInt(values.size()));
  }

  /** Generates a value for a schema node; {@code field} is the name it is under. */
  private static JsonNode value(JsonNode schema, String field, Random r, int depth) {
    if (schema.has("$ref")) {
      return value(SCHEMA.at(schema.path("$ref").asString().substring(1)), field, r, depth);
    }
    if (r.nextInt(40) == 0) {
      return wrongType(schema, r);
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    if (schema.has("enum")) {
      return r.nextInt(20) == 0
          ? NODES.stringNode("no-such-value")
          : pick(list(schema.get("enum")), r);
    }
    for (String choice : List.of("anyOf", "oneOf")) {
      if (schema.has(choice)) {
        return value(pick(list(schema.get(choice)), r), field, r, depth);
      }
    }
    return switch (schema.path("type").asString("")) {
      case "object" -> object(schema, r, depth);
      case "array" -> {
        ArrayNode a = NODES.arrayNode();
        int n = depth > 3 ? r.nextInt(2) : r.nextInt(3);
        for (int i = 0; i < n; i++) {
          a.add(value(schema.path("items"), field, r, depth + 1));
        }
        yield a;
      }
      case "string" -> NODES.stringNode(string(field, r));
      case "integer" -> NODES.numberNode(r.nextInt(4) == 0 ? r.nextInt(100) : pick(INTEGERS, r));
      case "number" -> NODES.numberNode(pick(NUMBERS, r));
      case "boolean" -> NODES.booleanNode(r.nextBoolean());
      case "null" -> NODES.nullNode();
      default -> NODES.stringNode(string(field, r));
    };
  }

  private static ObjectNode object(JsonNode schema, Random r, int depth) {
    ObjectNode o = NODES.objectNode();
    JsonNode properties = schema.path("properties");
    int keep = depth > 3 ? 30 : 75;
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      if (p.getValue().has("const") || r.nextInt(100) < keep) {
        o.set(p.getKey(), value(p.getValue(), p.getKey(), r, depth + 1));
      }
    }
    JsonNode values = schema.path("additionalProperties");
    if (values.isObject()) {
      for (int i = r.nextInt(3); i > 0; i--) {
        o.set(r.nextInt(8) == 0 ? "Bad Key" : pick(NAMES, r), value(values, "", r, depth + 1));
      }
    }
    if (r.nextInt(60) == 0) {
      o.put("noSuchField", 1);
    }
    return o;
  }

  private static JsonNode wrongType(JsonNode schema, Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> NODES.stringNode("x");
      case 1 -> NODES.numberNode(-7);
      case 2 -> NODES.arrayNode().add(1);
      default ->
          schema.path("type").asString("").equals("object") ? NODES.nullNode() : NODES.objectNode();
    };
  }

  private static String string(String field, Random r) {
    if (r.nextInt(10) == 0) {
      return pick(OTHER, r);
    }
    String f = field.toLowerCase(java.util.Locale.ROOT);
    List<String> pool =
        f.contains("model") || f.contains("tokenizer")
            ? MODELS
            : f.contains("accelerator")
                ? ACCELERATORS
                : f.contains("machine")
                    ? MACHINES
                    : f.contains("image")
                        ? IMAGES
                        : f.contains("subnet") || f.contains("cidr")
                            ? CIDRS
                            : f.contains("location") || f.contains("region") || f.contains("zone")
                                ? LOCATIONS
                                : f.contains("path") || f.contains("dir")
                                    ? PATHS
                                    : f.contains("name") || f.contains("namespace") ? NAMES : OTHER;
    return pick(pool, r);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
