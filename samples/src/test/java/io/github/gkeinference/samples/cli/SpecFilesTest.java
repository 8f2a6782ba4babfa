package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.spec.SpecBinder;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.spec.SpecKind;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.testing.SchemaValidator;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SpecFilesTest {
  private static final SpecFiles FILES = SpecFiles.standard();
  private static final Path README = Path.of("README.md");
  private static final Pattern CODE = Pattern.compile("`([A-Za-z]+)`");
  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";

  /** A VllmServer document; {@code source} is indented as a field of {@code spec}. */
  private static String vllm(String name, String source) {
    return """
        kind: VllmServer
        spec:
          name: %s
          namespace: inference
          modelId: %s
          maxModelLen: 8192
          placement:
            accelerator: nvidia-l4
            devices: 1
            machineType: g2-standard-16
        %s"""
        .formatted(name, MODEL, source.indent(2));
  }

  /** The same server through the Java API, with the source given or left to its default. */
  private static VllmServer.Builder java(String name) {
    return VllmServer.builder()
        .name(name)
        .namespace("inference")
        .modelId(MODEL)
        .maxModelLen(8192)
        .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"));
  }

  private static String yaml(RenderedSet set) {
    return ManifestYaml.toYaml(set);
  }

  private static List<String> paths(SdkValidationException e) {
    return e.violations().stream().map(Violation::path).toList();
  }

  @Test
  void render_gcsFuseSource_rendersWhatTheJavaBuilderRenders() {
    String file =
        vllm(
            "vllm",
            """
            source:
              type: gcsFuse
              location: {bucket: my-models, path: meta-llama/llama-3.1-8b-instruct}
              prefetch: true
              options: {sidecarMemoryRequest: 1Gi, extraMountOptions: [read_ahead_kb=1024]}
            """);
    VllmServer expected =
        java("vllm")
            .source(
                GcsFuseSource.builder()
                    .location(GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct"))
                    .prefetch(true)
                    .options(
                        o ->
                            o.sidecarMemoryRequest("1Gi")
                                .addExtraMountOptions("read_ahead_kb=1024"))
                    .build())
            .build();

    String rendered = yaml(FILES.render(file));

    assertThat(rendered).isEqualTo(yaml(expected.render()));
    // the comparison is between two FUSE renders, not two default (hub) renders
    assertThat(rendered)
        .contains(GcsFuseSource.DRIVER)
        .doesNotContain(HuggingFaceSource.CACHE_VOLUME);
  }

  @Test
  void render_gcsStreamingAndExplicitHuggingFaceSources_renderWhatTheJavaBuilderRenders() {
    String file =
        vllm(
                "streamed",
                """
                source:
                  type: gcsStreaming
                  location: {bucket: my-models, path: llama}
                  distributed: true
                """)
            + "---\n"
            + vllm(
                "hub",
                """
                source:
                  type: huggingFace
                  modelId: %s
                  token: {name: hf-token, key: token}
                """
                    .formatted(MODEL));
    RenderedSet expected =
        java("streamed")
            .source(
                GcsStreamingSource.builder()
                    .location(GcsLocation.of("my-models", "llama"))
                    .distributed(true)
                    .build())
            .build()
            .render()
            .plus(
                java("hub")
                    .source(
                        HuggingFaceSource.builder()
                            .modelId(MODEL)
                            .token("hf-token", "token")
                            .build())
                    .build()
                    .render());

    String rendered = yaml(FILES.render(file));

    assertThat(rendered).isEqualTo(yaml(expected));
    assertThat(rendered).contains("--load-format=" + GcsStreamingSource.LOAD_FORMAT, "hf-token");
  }

  @Test
  void render_withoutSource_orWithoutType_usesTheHuggingFaceHub() {
    String noSource = vllm("vllm", "");
    String noType =
        vllm(
            "vllm",
            """
            source:
              modelId: %s
            """
                .formatted(MODEL));
    String hub =
        yaml(
            java("vllm")
                .source(HuggingFaceSource.builder().modelId(MODEL).build())
                .build()
                .render());

    assertThat(yaml(FILES.render(noSource)))
        .isEqualTo(yaml(java("vllm").build().render()))
        .isEqualTo(hub)
        .contains(HuggingFaceSource.CACHE_VOLUME);
    assertThat(yaml(FILES.render(noType))).isEqualTo(hub);
  }

  @Test
  void render_unknownTypeAndUnknownFields_areReportedByPath_withEveryOtherViolation() {
    String file =
        vllm(
                "a",
                """
                source:
                  type: gcsFuze
                  location: {bucket: my-models}
                """)
            + "---\n"
            + vllm(
                "b",
                """
                source:
                  type: gcsFuse
                  location: {bucket: my-models, pth: llama}
                  prefetsh: true
                replicaz: 2
                """)
            + "---\n"
            + vllm(
                "c",
                """
                source:
                  type: gcsFuse
                  location: {bucket: Not_A_Bucket}
                """)
            + "---\n"
            + vllm(
                "d",
                """
                source:
                  type: gcsFuse
                  location: {bucket: my-models}
                replicas: -1
                """);

    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> FILES.render(file));

    assertThat(paths(e))
        .containsExactlyInAnyOrder(
            "[0].spec.source.type",
            "[1].spec.source.location.pth",
            "[1].spec.source.prefetsh",
            "[1].spec.replicaz",
            "[2].spec.source.location.bucket",
            "[3].spec.replicas");
    Violation type =
        e.violations().stream()
            .filter(x -> x.path().equals("[0].spec.source.type"))
            .findFirst()
            .orElseThrow();
    assertThat(type.message()).contains("gcsFuse", "gcsStreaming", "huggingFace");
    Violation field =
        e.violations().stream()
            .filter(x -> x.path().equals("[1].spec.source.prefetsh"))
            .findFirst()
            .orElseThrow();
    assertThat(field.message()).contains("unknown field", "GcsFuseSource", "prefetch");
  }

  @Test
  void render_sourceFieldsWithoutType_sayThatTheHubIsTheDefault() {
    String file =
        vllm(
            "vllm",
            """
            source:
              location: {bucket: my-models, path: llama}
            """);

    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> FILES.render(file));

    assertThat(paths(e)).containsExactly("[0].spec.source.location");
    assertThat(e.violations().get(0).message()).contains("HuggingFaceSource", "default", "gcsFuse");
  }

  @Test
  void render_sourceThatIsNotAnObject_orATypeThatIsNotAName_namesTheTypes() {
    String file =
        vllm("a", "source: gs://my-models/llama\n") + "---\n" + vllm("b", "source: {type: 3}\n");

    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> FILES.render(file));

    assertThat(paths(e)).containsExactly("[0].spec.source", "[1].spec.source.type");
    assertThat(e.violations())
        .allSatisfy(
            x -> assertThat(x.message()).contains("gcsFuse", "gcsStreaming", "huggingFace"));
  }

  @Test
  void render_literalHubToken_pointsToTheSourcesSecretReference_withoutPrintingTheToken() {
    String token = "hf_" + "x".repeat(34);
    String file = vllm("vllm", "env: {HF_TOKEN: " + token + "}\n");

    SdkValidationException e =
        catchThrowableOfType(SdkValidationException.class, () -> FILES.render(file));

    assertThat(paths(e)).containsExactly("[0].spec.env.HF_TOKEN");
    assertThat(e.violations().get(0).message()).contains("source: {token: {name, key}}");
    assertThat(e.getMessage()).doesNotContain(token);
  }

  @Test
  void interfaces_everyInterfaceTypedSpecField_hasImplementationsAFileCanName() {
    Set<Class<?>> found = new TreeSet<>(java.util.Comparator.comparing(Class::getName));
    Set<Class<?>> seen = new HashSet<>();
    for (SpecKind<?> kind : FILES.kinds().values()) {
      interfaceFields(kind.type(), seen, found);
    }

    assertThat(found).contains(ModelSource.class);
    assertThat(SpecBinder.INTERFACES.keySet()).containsAll(found);
    SpecBinder.INTERFACES.forEach(
        (iface, implementations) -> {
          assertThat(implementations.types()).containsKey(implementations.defaultType());
          String suffix = iface.getSimpleName().replaceFirst("^Model", "");
          implementations
              .types()
              .forEach(
                  (name, type) -> {
                    assertThat(iface).isAssignableFrom(type);
                    // the documented naming rule: simple name, minus the suffix, lower camel case
                    assertThat(name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1))
                        .isEqualTo(type.getSimpleName().replaceFirst(suffix + "$", ""));
                    assertThat(setterNames(type)).doesNotContain(SpecBinder.TYPE);
                  });
        });
  }

  @Test
  void readme_specExample_rendersASchemaValidServerReadingFromGcsFuse() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf("```yaml\n", readme.indexOf("A spec file for `render -f`")) + 8;
    String example = readme.substring(start, readme.indexOf("```", start));

    String rendered = yaml(FILES.render(example));

    assertThat(SchemaValidator.forTests().validateYaml(rendered)).isEmpty();
    assertThat(rendered).contains(GcsFuseSource.DRIVER);
  }

  @Test
  void readme_sourceTypeTable_namesEveryTypeWithItsBuilderFields() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int header = lines.indexOf("| `source.type` | Java type | Fields besides `type` |");
    assertThat(header).isNotNegative();
    Map<String, Set<String>> table = new TreeMap<>();
    for (String line : lines.subList(header + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.split("\\|");
      Set<String> fields = new TreeSet<>();
      Matcher m = CODE.matcher(cells[3]);
      while (m.find()) {
        fields.add(m.group(1));
      }
      table.put(cells[1].strip().replace("`", ""), fields);
    }
    SpecBinder.Implementations sources = SpecBinder.INTERFACES.get(ModelSource.class);

    assertThat(table.keySet()).isEqualTo(sources.types().keySet());
    sources
        .types()
        .forEach((name, type) -> assertThat(table.get(name)).isEqualTo(setterNames(type)));
  }

  /** Collects the interface types of the attributes a builder can set, recursively. */
  private static void interfaceFields(Class<?> spec, Set<Class<?>> seen, Set<Class<?>> found) {
    if (!seen.add(spec)) {
      return;
    }
    for (Method m : builder(spec).getClass().getMethods()) {
      if (m.getParameterCount() != 1 || !setterNames(spec).contains(m.getName())) {
        continue;
      }
      for (Class<?> c : classes(m.getGenericParameterTypes()[0])) {
        if (c.getName().startsWith("io.github.gkeinference")) {
          if (hasBuilder(c)) {
            interfaceFields(c, seen, found);
          } else if (c.isInterface() && !java.util.function.Consumer.class.equals(c)) {
            found.add(c);
          }
        }
      }
    }
  }

  private static Set<String> setterNames(Class<?> spec) {
    Set<String> names = new HashSet<>();
    for (Method m : spec.getMethods()) {
      if (m.getParameterCount() == 0
          && !Modifier.isStatic(m.getModifiers())
          && m.getReturnType() != void.class) {
        names.add(m.getName());
      }
    }
    Set<String> setters = new HashSet<>();
    for (Method m : builder(spec).getClass().getMethods()) {
      if (m.getParameterCount() == 1 && names.contains(m.getName())) {
        setters.add(m.getName());
      }
    }
    return setters;
  }

  private static boolean hasBuilder(Class<?> c) {
    try {
      return Modifier.isStatic(c.getMethod("builder").getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Object builder(Class<?> spec) {
    try {
      return spec.getMethod("builder").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(spec + " has no builder()", e);
    }
  }

  private static List<Class<?>> classes(Type t) {
    List<Class<?>> out = new ArrayList<>();
    if (t instanceof Class<?> c) {
      out.add(c);
    } else if (t instanceof ParameterizedType p) {
      for (Type a : p.getActualTypeArguments()) {
        out.addAll(classes(a));
      }
    } else if (t instanceof WildcardType w) {
      out.addAll(classes(w.getUpperBounds()[0]));
    }
    return out;
  }
}
