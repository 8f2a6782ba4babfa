package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.validate.BundleValidator;
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
