package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.serving.VllmServer;
import org.junit.jupiter.api.Test;

/** fabric8 7.x on the classpath: the first render fails with the SDK's own clear exception. */
class OlderFabric8Test {
  @Test
  void render_withFabric8Seven_throwsSdkExceptionNamingBothVersions() {
    assertEquals("7.5.2", io.fabric8.kubernetes.client.Version.clientVersion());

    SdkException e =
        assertThrows(
            SdkException.class,
            () ->
                VllmServer.builder()
                    .name("llama")
                    .namespace("inference")
                    .modelId("meta-llama/Llama-3.1-8B-Instruct")
                    .source(
                        GcsFuseSource.builder()
                            .location(GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct"))
                            .build())
                    .placement(
                        p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
                    .maxModelLen(8192)
                    .build()
                    .render());

    assertEquals(SdkException.class, e.getClass());
    assertTrue(e.getMessage().contains("kubernetes-client 7.5.2 is on the classpath"), e.getMessage());
    assertTrue(e.getMessage().contains("requires fabric8 kubernetes-client 8.x"), e.getMessage());
  }
}
