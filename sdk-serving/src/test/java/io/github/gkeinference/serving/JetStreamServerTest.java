package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.Optional;
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

  @Test
  void render_grantsReadOnlyOnExactlyTheCheckpointBucket() {
    assertThat(v5eGemma().render().kubernetesObjects(IamPolicyMember.class))
        .singleElement()
        .satisfies(
            g -> {
              SchemaValidator.forTests().assertValid(g);
              assertThat(g.getMetadata().getName()).isEqualTo("maxengine-server-model-reader");
              assertThat(g.getMetadata().getNamespace()).isEqualTo("inference");
              assertThat(g.spec().role()).isEqualTo("roles/storage.objectViewer");
              assertThat(g.spec().member())
                  .isEqualTo("serviceAccount:jetstream@my-project.iam.gserviceaccount.com");
              assertThat(g.spec().resourceRef().external()).isEqualTo("my-bucket");
            });
  }

  @Test
  void bucketGrants_withThePoolOnly_namesTheKsaPrincipal_andWithoutIdentity_none() {
    WorkloadIdentityPool pool = WorkloadIdentityPool.of("my-project", 123456789012L);
    JetStreamServer direct =
        v5eGemma().toBuilder()
            .googleServiceAccount(Optional.empty())
            .workloadIdentity(pool)
            .build();
    assertThat(direct.bucketGrants())
        .singleElement()
        .satisfies(
            g -> assertThat(g.member()).isEqualTo(pool.principal("inference", "maxengine-server")));
    JetStreamServer anonymous =
        v5eGemma().toBuilder().googleServiceAccount(Optional.empty()).build();
    assertThat(anonymous.bucketGrants()).isEmpty();
    assertThat(anonymous.render().kubernetesObjects(IamPolicyMember.class)).isEmpty();
  }
}
