package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import org.junit.jupiter.api.Test;

class JetStreamServerTest {
  /** The GKE JetStream MaxText tutorial's case: Gemma 7B on a v5e 2x4 slice (8 chips). */
  static JetStreamServer v5eGemma() {
    return JetStreamServer.builder()
        .name("maxengine-server")
        .namespace("inference")
        .modelName("gemma-7b")
        .tokenizerPath("assets/tokenizer.gemma")
        .checkpoint("gs://my-bucket/final/unscanned/gemma_7b-it/0/checkpoints/0/items")
        .placement(p -> p.accelerator("tpu-v5-lite-podslice").devices(8).tpuTopology("2x4"))
        .googleServiceAccount("jetstream@my-project.iam.gserviceaccount.com")
        .build();
  }

  @Test
  void render_v5eGemma_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(v5eGemma().render(), "jetstream/v5e-2x4-gemma-7b.yaml");
  }

  @Test
  void render_runsEngineAndHttpServerWithMetricsPort() {
    RenderedSet set = v5eGemma().render();
    Deployment d = set.find(Deployment.class, "maxengine-server").orElseThrow();
    Container engine = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("maxengine-server", "jetstream-http");
    assertThat(engine.getResources().getLimits())
        .containsEntry("google.com/tpu", new Quantity("8"));
    assertThat(engine.getArgs())
        .contains(
            "load_parameters_path=gs://my-bucket/final/unscanned/gemma_7b-it/0/checkpoints/0/items",
            "prometheus_port=9100");
    Service svc = set.find(Service.class, "maxengine-server").orElseThrow();
    assertThat(svc.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("http", 8000),
            org.assertj.core.groups.Tuple.tuple("grpc", 9000),
            org.assertj.core.groups.Tuple.tuple("metrics", 9100));
  }

  @Test
  void build_badCheckpointAndLengths_reportsBoth() {
    assertThatThrownBy(
            () -> v5eGemma().toBuilder().checkpoint("/local").maxTargetLength(512).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("checkpoint", "maxTargetLength"));
  }
}
