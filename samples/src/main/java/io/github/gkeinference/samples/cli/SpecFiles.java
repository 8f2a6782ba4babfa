package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.JetStreamServer;
import io.github.gkeinference.serving.MultiHostServer;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.VllmTpuServer;
import io.github.gkeinference.serving.async.AsyncInference;
import io.github.gkeinference.serving.batch.BatchInference;
import io.github.gkeinference.serving.comfyui.ComfyUi;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import io.github.gkeinference.testing.SchemaValidator;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Reads service specs from YAML/JSON files: documents of the form {@code kind: VllmServer} plus
 * {@code spec: {...}} with the same fields as the Java builders (see {@link SpecBinder}); an
 * interface-typed field such as {@code source} names its implementation in a {@code type} field
 * ({@link SpecBinder#INTERFACES}).
 */
final class SpecFiles {
  /** The spec kinds a file may hold, by their Java type's simple name. */
  static final Map<String, Class<?>> KINDS =
      Map.of(
          "VllmServer", VllmServer.class,
          "VllmTpuServer", VllmTpuServer.class,
          "JetStreamServer", JetStreamServer.class,
          "MultiHostServer", MultiHostServer.class,
          "InferenceGateway", InferenceGateway.class,
          "BatchInference", BatchInference.class,
          "AsyncInference", AsyncInference.class,
          "ComfyUi", ComfyUi.class);

  private SpecFiles() {}

  /**
   * Renders every spec document of a text into one set.
   *
   * @param text the YAML or JSON text
   * @return the combined rendered set
   * @throws SdkValidationException listing every violation of every document, with paths such as
   *     {@code [0].spec.replicas}
   */
  static RenderedSet render(String text) {
    List<JsonNode> documents = SchemaValidator.readYamlDocuments(text);
    Violations v = Violations.root();
    if (documents.isEmpty()) {
      v.error("", null, "the file holds no spec document");
    }
    RenderedSet.Builder set = RenderedSet.builder();
    for (int i = 0; i < documents.size(); i++) {
      Violations doc = v.at("", i);
      JsonNode node = documents.get(i);
      String kind = node.path("kind").asString("");
      Class<?> type = KINDS.get(kind);
      if (type == null) {
        doc.error("kind", kind, "must be one of " + new TreeSet<>(KINDS.keySet()));
        continue;
      }
      node.properties().stream()
          .map(Map.Entry::getKey)
          .filter(k -> !k.equals("kind") && !k.equals("spec"))
          .forEach(
              k -> doc.error(k, null, "unknown field; a spec document has only kind and spec"));
      Optional<?> spec = SpecBinder.bind(node.path("spec"), type, doc.at("spec"));
      if (spec.isPresent() && !v.hasErrors()) {
        set.addAll(render(spec.get()));
      }
    }
    v.throwIfErrors();
    return set.build();
  }

  private static RenderedSet render(Object spec) {
    try {
      return (RenderedSet) spec.getClass().getMethod("render").invoke(spec);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(spec.getClass() + " has no public render()", e);
    }
  }
}
