package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.validate.BundleValidator;
import io.github.gkeinference.testing.SchemaValidator;
import org.junit.jupiter.api.Test;

class MultiHostServerTest {
  /** Llama-3.1-405B-Instruct on two a3-highgpu-8g machines: TP 8 per machine, PP 2. */
  static MultiHostServer llama405b() {
    return MultiHostServer.builder()
        .server(
            VllmServer.builder()
                .name("llama-3-1-405b")
                .namespace("inference")
                .modelId("meta-llama/Llama-3.1-405B-Instruct")
                .source(
                    GcsStreamingSource.builder()
                        .location(GcsLocation.of("models", "meta-llama/llama-3.1-405b-instruct"))
                        .build())
                .placement(p -> p.accelerator("nvidia-h100-80gb").devices(8))
                .maxModelLen(32768)
                .build())
        .nodes(2)
        .build();
  }

  @Test
  void render_twoNodeH100_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(llama405b().render(), "multihost/h100-2x8-llama-3-1-405b.yaml");
  }

  @Test
  void render_gpuGroup_hasNoLeaderWorkerSetAnnotations() {
    // exclusive topology is rendered for TPU slices only; the GPU set is unchanged
    LeaderWorkerSet lws =
        llama405b().render().find(LeaderWorkerSet.class, "llama-3-1-405b").orElseThrow();
    assertThat(lws.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(lws.spec().leaderWorkerTemplate().subGroupPolicy()).isNull();
  }

  @Test
  void render_groupGpus_equalTensorTimesPipeline() {
    RenderedSet set = llama405b().render();
    LeaderWorkerSet lws = set.find(LeaderWorkerSet.class, "llama-3-1-405b").orElseThrow();
    assertThat(lws.spec().leaderWorkerTemplate().size()).isEqualTo(2);
    Container leader =
        lws.spec().leaderWorkerTemplate().leaderTemplate().getSpec().getContainers().get(0);
    Container worker =
        lws.spec().leaderWorkerTemplate().workerTemplate().getSpec().getContainers().get(0);
    // 8 GPUs per machine x 2 machines = 16 = TP 8 x PP 2
    assertThat(leader.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("8"));
    assertThat(worker.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("8"));
    assertThat(leader.getArgs()).contains("--tensor-parallel-size=8", "--pipeline-parallel-size=2");
    assertThat(worker.getCommand().get(2)).contains("worker --ray_address=$(LWS_LEADER_ADDRESS)");
    Service service = set.find(Service.class, "llama-3-1-405b").orElseThrow();
    assertThat(service.getSpec().getSelector()).containsEntry(MultiHostServer.ROLE_LABEL, "leader");
    assertThat(BundleValidator.validate(set)).isEmpty();
  }

  @Test
  void validator_groupGpusNotEqualToTensorTimesPipeline_isTheOnlyViolation() {
    // three machines of 8 GPUs (24) cannot run TP 8 x PP 2 (16)
    RenderedSet set = llama405b().render();
    LeaderWorkerSet lws = set.find(LeaderWorkerSet.class, "llama-3-1-405b").orElseThrow();
    LeaderWorkerSet.Template t = lws.spec().leaderWorkerTemplate();
    lws.setSpec(
        new LeaderWorkerSet.Spec(
            1,
            new LeaderWorkerSet.Template(
                3, t.restartPolicy(), t.leaderTemplate(), t.workerTemplate(), null),
            "LeaderCreated"));
    RenderedSet broken =
        RenderedSet.of(
            set.kubernetesObjects().stream()
                .map(o -> o instanceof LeaderWorkerSet ? lws : o)
                .toArray(io.fabric8.kubernetes.api.model.HasMetadata[]::new));
    assertThat(BundleValidator.validate(broken))
        .extracting(Violation::path)
        .containsExactly("LeaderWorkerSet/inference/llama-3-1-405b.resources.limits");
  }

  @Test
  void build_singleNode_isRejected() {
    assertThatThrownBy(() -> llama405b().toBuilder().nodes(1).build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> assertThat(e.violations()).extracting(Violation::path).containsExactly("nodes"));
  }

  @Test
  void render_withWorkloadIdentity_grantsLeadersAndWorkersReadOnlyOnTheModelBucket() {
    WorkloadIdentityPool pool = WorkloadIdentityPool.of("my-project", 123456789012L);
    MultiHostServer server =
        llama405b().toBuilder()
            .server(llama405b().server().toBuilder().workloadIdentity(pool).build())
            .build();

    RenderedSet set = server.render();

    assertThat(set.kubernetesObjects(IamPolicyMember.class))
        .singleElement()
        .satisfies(
            g -> {
              SchemaValidator.forTests().assertValid(g);
              assertThat(g.getMetadata().getName()).isEqualTo("llama-3-1-405b-model-reader");
              assertThat(g.spec().role()).isEqualTo("roles/storage.objectViewer");
              assertThat(g.spec().member())
                  .isEqualTo(pool.principal("inference", "llama-3-1-405b"));
              assertThat(g.spec().resourceRef().external()).isEqualTo("models");
            });
    LeaderWorkerSet lws = set.kubernetesObjects(LeaderWorkerSet.class).get(0);
    // leader and worker templates both run as the granted account
    assertThat(
            io.github.gkeinference.core.emit.ManifestYaml.toYaml(RenderedSet.of(lws))
                .split("serviceAccountName: llama-3-1-405b\n", -1))
        .hasSize(3);
    assertThat(llama405b().render().kubernetesObjects(IamPolicyMember.class)).isEmpty();
  }
}
