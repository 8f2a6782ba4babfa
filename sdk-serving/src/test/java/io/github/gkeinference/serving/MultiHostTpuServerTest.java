package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.validate.BundleValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiHostTpuServerTest {
  /** The LWS vLLM TPU example: Llama-3.3-70B on a v5e 4x4 slice, four VMs of 4 chips, TP 16. */
  static MultiHostTpuServer v5e4x4() {
    return MultiHostTpuServer.builder()
        .server(
            VllmTpuServer.builder()
                .name("llama-3-3-70b-tpu")
                .namespace("inference")
                .modelId("meta-llama/Llama-3.3-70B-Instruct")
                .placement(p -> p.accelerator("tpu-v5-lite-podslice").devices(4).tpuTopology("2x2"))
                .maxModelLen(8192)
                .build())
        .sliceTopology("4x4")
        .build();
  }

  @Test
  void render_v5e4x4_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(v5e4x4().render(), "multihost/tpu-v5e-4x4-llama-3-3-70b.yaml");
  }

  @Test
  void render_fourVmsOfFourChips_runTensorParallelismSixteen() {
    RenderedSet set = v5e4x4().render();
    LeaderWorkerSet lws = set.find(LeaderWorkerSet.class, "llama-3-3-70b-tpu").orElseThrow();
    // 4x4 = 16 chips; 16 / 4 chips per VM = 4 pods per group
    assertThat(lws.spec().leaderWorkerTemplate().size()).isEqualTo(4);
    Container leader =
        lws.spec().leaderWorkerTemplate().leaderTemplate().getSpec().getContainers().get(0);
    assertThat(leader.getResources().getLimits())
        .containsEntry("google.com/tpu", new Quantity("4"));
    assertThat(leader.getArgs()).contains("--tensor-parallel-size=16");
    assertThat(lws.spec().leaderWorkerTemplate().workerTemplate().getSpec().getNodeSelector())
        .containsEntry("cloud.google.com/gke-tpu-topology", "4x4");
    assertThat(BundleValidator.validate(set)).isEmpty();
  }

  @Test
  void render_tpuSlice_makesEachGroupExclusiveOnOneNodePool() {
    LeaderWorkerSet lws = v5e4x4Set();
    assertThat(lws.getMetadata().getAnnotations())
        .containsEntry(
            "leaderworkerset.sigs.k8s.io/exclusive-topology", "cloud.google.com/gke-nodepool");
    // the annotation belongs on the set; the controller copies it to the pods
    assertThat(templateAnnotations(lws))
        .doesNotContainKey(LeaderWorkerSet.EXCLUSIVE_TOPOLOGY_ANNOTATION);
  }

  @Test
  void render_leaderRequestsTheVmsChips_soTpuHostnamesCoverEveryVm() {
    LeaderWorkerSet lws = v5e4x4Set();
    LeaderWorkerSet.Template t = lws.spec().leaderWorkerTemplate();
    Quantity leaderChips = tpuChips(t.leaderTemplate());
    Quantity workerChips = tpuChips(t.workerTemplate());
    // The leader requests TPUs, so LWS marks the workers leader-requests-tpus and lists the leader
    // and the size - 1 workers in TPU_WORKER_HOSTNAMES (no subgroup): 1 + 3 = 4 hosts, each with
    // 4 chips, 4 x 4 = 16 chips = the 4x4 slice.
    assertThat(leaderChips).isEqualTo(new Quantity("4"));
    assertThat(workerChips).isEqualTo(new Quantity("4"));
    assertThat(t.subGroupPolicy()).isNull();
    assertThat(1 + (t.size() - 1)).isEqualTo(4);
  }

  @Test
  void render_tpuSlice_leavesControllerOwnedPodAnnotationsToTheController() {
    LeaderWorkerSet lws = v5e4x4Set();
    assertThat(templateAnnotations(lws))
        .doesNotContainKeys(
            "leaderworkerset.sigs.k8s.io/subgroup-size",
            "leaderworkerset.sigs.k8s.io/leader-requests-tpus");
    assertThat(lws.getMetadata().getAnnotations())
        .doesNotContainKeys(
            LeaderWorkerSet.SUBGROUP_SIZE_ANNOTATION,
            LeaderWorkerSet.LEADER_REQUESTS_TPUS_ANNOTATION);
  }

  @Test
  void render_tpuSlice_leavesTpuEnvironmentToTheController() {
    // LWS skips its injection when TPU_WORKER_HOSTNAMES or TPU_WORKER_ID is already set
    LeaderWorkerSet lws = v5e4x4Set();
    LeaderWorkerSet.Template t = lws.spec().leaderWorkerTemplate();
    for (PodTemplateSpec pod : List.of(t.leaderTemplate(), t.workerTemplate())) {
      assertThat(pod.getSpec().getContainers().get(0).getEnv())
          .extracting(EnvVar::getName)
          .doesNotContain("TPU_WORKER_HOSTNAMES", "TPU_WORKER_ID", "TPU_NAME");
    }
  }

  private static LeaderWorkerSet v5e4x4Set() {
    return v5e4x4().render().find(LeaderWorkerSet.class, "llama-3-3-70b-tpu").orElseThrow();
  }

  private static Quantity tpuChips(PodTemplateSpec pod) {
    return pod.getSpec().getContainers().get(0).getResources().getLimits().get("google.com/tpu");
  }

  private static Map<String, String> templateAnnotations(LeaderWorkerSet lws) {
    Map<String, String> all = new HashMap<>();
    LeaderWorkerSet.Template t = lws.spec().leaderWorkerTemplate();
    for (PodTemplateSpec pod : List.of(t.leaderTemplate(), t.workerTemplate())) {
      if (pod.getMetadata().getAnnotations() != null) {
        all.putAll(pod.getMetadata().getAnnotations());
      }
    }
    return all;
  }

  @Test
  void build_singleHostSlice_isRejected() {
    assertThatThrownBy(() -> v5e4x4().toBuilder().sliceTopology("2x2").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("sliceTopology"));
  }
}
