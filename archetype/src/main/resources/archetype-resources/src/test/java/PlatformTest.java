package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.testing.SchemaValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders both services and checks every object against the official Kubernetes and CRD schemas
 * bundled with the SDK's test kit.
 */
class PlatformTest {
  private final SchemaValidator schemas = SchemaValidator.forTests();

  @Test
  void chat_rendersSchemaValidObjects() {
    RenderedSet chat = Platform.chat();

    assertTrue(chat.find(Deployment.class, "chat").isPresent(), chat.toString());
    chat.kubernetesObjects().forEach(schemas::assertValid);
    for (HasMetadata object : chat.kubernetesObjects()) {
      assertEquals(Platform.NAMESPACE, object.getMetadata().getNamespace(), object.getKind());
    }
  }

  @Test
  void specFiles_renderSchemaValidObjects() {
    RenderedSet specs = Platform.specFiles(Path.of("specs"));

    assertTrue(specs.find(Deployment.class, "summarizer").isPresent(), specs.toString());
    specs.kubernetesObjects().forEach(schemas::assertValid);
  }

  @Test
  void main_writesManifestsAndAKustomization(@TempDir Path out) throws Exception {
    Platform.main(new String[] {out.toString()});

    String kustomization = Files.readString(out.resolve("kustomization.yaml"));
    assertFalse(kustomization.isBlank());
    try (var files = Files.list(out)) {
      assertTrue(files.count() > 2, "the manifests and the kustomization were written");
    }
  }
}
