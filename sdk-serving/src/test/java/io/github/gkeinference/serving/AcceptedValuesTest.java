package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The values issue 21 found accepted although they cannot work or open a hole: each is now one
 * violation with its path.
 */
class AcceptedValuesTest {
  private static List<Violation> violations(Supplier<?> build) {
    try {
      build.get();
    } catch (SdkValidationException e) {
      return e.violations();
    }
    return List.of();
  }

  private static InferenceGateway.Builder gateway() {
    return InferenceGateway.builder()
        .name("gw")
        .namespace("inference")
        .addPool(p -> p.name("llama").matchLabels(java.util.Map.of("app", "llama")));
  }

  private static VllmServer.Builder server() {
    return VllmServerTest.l4Llama8b().toBuilder();
  }

  private static GcsFuseSource fuse(String mountPath) {
    return GcsFuseSource.builder()
        .location(GcsLocation.of("models", "meta-llama/llama-3.1-8b-instruct"))
        .mountPath(mountPath)
        .build();
  }

  @Test
  void proxyOnlySubnet_wholeInternet_isOneViolation_andTheOverrideAcceptsIt() {
    List<Violation> found = violations(() -> gateway().proxyOnlySubnet("0.0.0.0/0").build());

    assertThat(found).singleElement().extracting(Violation::path).isEqualTo("proxyOnlySubnet");
    assertThat(
            gateway()
                .proxyOnlySubnet("0.0.0.0/0")
                .wideProxyOnlySubnetAllowed(true)
                .build()
                .proxyOnlySubnet())
        .contains("0.0.0.0/0");
  }

  @Test
  void proxyOnlySubnet_withHostBits_isOneViolation() {
    assertThat(violations(() -> gateway().proxyOnlySubnet("10.129.0.1/23").build()))
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("proxyOnlySubnet");
  }

  @Test
  void quantization_unknownMethod_isOneViolation_knownMethodsPass() {
    assertThat(violations(() -> server().quantization("int3").build()))
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("quantization");
    assertThat(server().quantization("awq").build().quantization()).contains("awq");
  }

  @Test
  void modelMountPath_overEtc_isOneViolation() {
    assertThat(violations(() -> fuse("/etc")))
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("mountPath");
  }

  @Test
  void modelMountPath_onTheServersSharedMemory_isOneViolation() {
    // the server mounts its own /dev/shm; a second mount there is refused by the API server
    assertThat(violations(() -> fuse("/dev/shm")))
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("mountPath");
  }

  @Test
  void modelMountPath_root_isOneViolation() {
    assertThat(violations(() -> fuse("/")))
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("mountPath");
  }
}
