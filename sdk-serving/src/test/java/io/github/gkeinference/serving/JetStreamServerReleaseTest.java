package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.server.JetStreamRelease;
import io.github.gkeinference.core.server.JetStreamReleases;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JetStream server's arguments checked against its engine image's release (the table). */
class JetStreamServerReleaseTest {
  private static List<String> engineArgs(JetStreamServer server) {
    Container engine =
        server
            .render()
            .kubernetesObjects(Deployment.class)
            .get(0)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(engine.getImage()).isEqualTo(server.engineImage());
    return engine.getArgs();
  }

  @Test
  void defaultImages_areTheDefaultReleasesImages() {
    JetStreamServer server = JetStreamServerTest.v5eGemma();
    assertThat(server.release()).contains(JetStreamReleases.defaultRelease());
    assertThat(JetStreamReleases.defaultRelease().images())
        .containsExactly(server.engineImage(), server.httpImage());
  }

  @Test
  void everyRenderedArgument_isAKeyTheImagesReleaseTakes() {
    JetStreamServer server = JetStreamServerTest.v5eGemma();
    JetStreamRelease release = server.release().orElseThrow();
    List<String> args = engineArgs(server);
    assertThat(args).isNotEmpty();
    for (String arg : args) {
      assertThat(JetStreamRelease.keyOf(arg)).as(arg).isPresent();
      assertThat(release.unsupported(arg)).as(arg).isEmpty();
      assertThat(release.args()).contains(JetStreamRelease.keyOf(arg).orElseThrow());
    }
    Violations v = Violations.root();
    server.validate(v);
    assertThat(v.all()).isEmpty();
  }

  @Test
  void aKeyTheReleaseDoesNotTake_isNamedWithTheSource() {
    assertThat(JetStreamReleases.V0_2_2.unsupported("prefill_chunk_size=256"))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains(
                        "JetStream v0.2.2", "prefill_chunk_size", "AI-Hypercomputer/JetStream"));
    // a value that is not key=value is not an argument the table checks
    assertThat(JetStreamReleases.V0_2_2.unsupported("--help")).isEmpty();
  }

  @Test
  void engineImageTheTableDoesNotList_isAWarningNotAnError() {
    JetStreamServer server =
        JetStreamServerTest.v5eGemma().toBuilder()
            .engineImage("us-docker.pkg.dev/my-project/images/maxengine-server:custom")
            .build();
    assertThat(server.release()).isEmpty();
    Violations v = Violations.root();
    server.validate(v);
    assertThat(v.all())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.path()).isEqualTo("engineImage");
            });
  }

  @Test
  void defaultRelease_exportsOnlyTheTwoGaugesOfV022() {
    // jetstream/core/metrics/prometheus.py @ v0.2.2 defines two gauges; the histograms came in v0.3
    assertThat(JetStreamReleases.defaultRelease().metrics())
        .containsExactlyInAnyOrder(
            "jetstream_prefill_backlog_size", "jetstream_slots_available_percentage");
  }
}
