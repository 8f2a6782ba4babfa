package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.vllm.XlaCache;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

class VllmTpuServerTest {
  /** The reference architecture's v6e-qwen3-32b overlay: 2x2, 4 chips, TP 4, len 32768. */
  static VllmTpuServer v6eQwen() {
    return VllmTpuServer.builder()
        .name("qwen3-32b")
        .namespace("inf-dev-online-tpu")
        .modelId("Qwen/Qwen3-32B")
        .source(
            GcsFuseSource.builder().location(GcsLocation.of("models", "qwen/qwen3-32b")).build())
        .placement(p -> p.accelerator("tpu-v6e-slice").devices(4).tpuTopology("2x2"))
        .maxModelLen(32768)
        .maxNumBatchedTokens(4096)
        .xlaCache(XlaCache.gcs("xla-cache-bucket", "qwen3-32b"))
        .build();
  }

  @Test
  void render_v6eQwen_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(v6eQwen().render(), "vllm/tpu-v6e-qwen3-32b.yaml");
  }

  @Test
  void render_v6e_requestsChipsSelectsTopologyAndSetsXlaCache() {
    Deployment d = v6eQwen().render().find(Deployment.class, "qwen3-32b").orElseThrow();
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getResources().getLimits()).containsEntry("google.com/tpu", new Quantity("4"));
    assertThat(d.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("cloud.google.com/gke-tpu-accelerator", "tpu-v6e-slice")
        .containsEntry("cloud.google.com/gke-tpu-topology", "2x2");
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("VLLM_XLA_CACHE_PATH");
              assertThat(e.getValue()).isEqualTo("/xla-cache");
            });
    assertThat(c.getArgs()).contains("--tensor-parallel-size=4", "--max-num-batched-tokens=4096");
  }

  @Test
  void build_multiHostTopology_isRejected() {
    // v6e 4x4 is 16 chips on four 4-chip VMs
    assertThatThrownBy(
            () ->
                v6eQwen().toBuilder()
                    .placement(p -> p.accelerator("tpu-v6e-slice").devices(4).tpuTopology("4x4"))
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("placement.tpuTopology"));
  }

  @Test
  void render_withWorkloadIdentity_readsTheModelAndWritesOnlyTheXlaCacheBucket() {
    VllmTpuServer server =
        v6eQwen().toBuilder()
            .workloadIdentity(WorkloadIdentityPool.of("my-project", 123456789012L))
            .build();
    List<IamPolicyMember> grants = server.render().kubernetesObjects(IamPolicyMember.class);
    String principal =
        WorkloadIdentityPool.of("my-project", 123456789012L)
            .principal(server.namespace(), server.name());
    assertThat(grants)
        .extracting(
            g ->
                g.spec().resourceRef().external() + " " + g.spec().role() + " " + g.spec().member())
        .containsExactlyInAnyOrder(
            server.source().gcsLocation().orElseThrow().bucket()
                + " roles/storage.objectViewer "
                + principal,
            "xla-cache-bucket roles/storage.objectUser " + principal);
    grants.forEach(SchemaValidator.forTests()::assertValid);
    // without an identity there is nothing to grant to
    assertThat(v6eQwen().bucketGrants()).isEmpty();
  }
}
