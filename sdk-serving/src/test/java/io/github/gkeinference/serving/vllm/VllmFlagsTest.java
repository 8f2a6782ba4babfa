package io.github.gkeinference.serving.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.plan.KvCacheDtype;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingPlanner;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.serving.VllmServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class VllmFlagsTest {
  private static final String LLAMA_8B = "meta-llama/Llama-3.1-8B-Instruct";

  private static FitRequest llama8b() {
    return FitRequest.builder()
        .architecture(ModelCatalog.require(LLAMA_8B).architecture())
        .maxModelLen(8192)
        .build();
  }

  private static List<String> serverArgs(FitPlan plan) {
    VllmServer server =
        VllmServer.builder()
            .name("vllm")
            .namespace("flags")
            .modelId(LLAMA_8B)
            .source(HuggingFaceSource.builder().modelId(LLAMA_8B).build())
            .plan(plan)
            .build();
    return server
        .render()
        .find(Deployment.class, "vllm")
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getArgs();
  }

  @Test
  void of_l4Llama8b_rendersThePlansTypedSettings() {
    FitPlan plan = FitPlanner.planOn(llama8b(), "nvidia-l4", 1);

    // the pinned release's default utilization (0.90), vLLM's defaults for dtype and block size
    assertThat(VllmFlags.of(plan))
        .containsExactly(
            "--tensor-parallel-size=1",
            "--max-model-len=8192",
            "--gpu-memory-utilization=0.9",
            "--kv-cache-dtype=auto",
            "--block-size=16");
  }

  @Test
  void of_equalsTheFlagsAServerBuiltFromThePlanRenders() {
    FitPlan plan =
        FitPlanner.planOn(
            llama8b().toBuilder().kvCacheDtype(KvCacheDtype.FP8_E4M3).build(), "nvidia-l4", 1);

    List<String> flags = VllmFlags.of(plan);

    assertThat(flags).contains("--kv-cache-dtype=fp8_e4m3");
    // the same strings, in the same order, inside the rendered container's arguments
    List<String> args = serverArgs(plan);
    assertThat(args).containsSubsequence(flags);
  }

  @Test
  void of_fp8WeightsOfABf16Checkpoint_addsTheQuantizationMethod() {
    FitPlan plain = FitPlanner.planOn(llama8b(), "nvidia-l4", 1);
    FitPlan fp8 =
        FitPlanner.planOn(
            llama8b().toBuilder().weightDtype(DataType.FP8_E4M3).build(), "nvidia-l4", 1);

    assertThat(VllmFlags.of(plain)).noneMatch(a -> a.startsWith(VllmFlags.QUANTIZATION));
    assertThat(VllmFlags.of(fp8)).endsWith("--quantization=fp8");
  }

  @Test
  void of_multiHostPlan_rendersPipelineParallelism() {
    FitPlan plan =
        ServingPlanner.plan(
                ServingGoal.builder()
                    .architecture(
                        ModelCatalog.require("meta-llama/Llama-3.1-405B-Instruct").architecture())
                    .addCandidate("nvidia-h100-80gb")
                    .build())
            .recommendation()
            .orElseThrow()
            .fit();

    assertThat(VllmFlags.of(plan))
        .contains(
            "--tensor-parallel-size=" + plan.tensorParallelism(),
            "--pipeline-parallel-size=" + plan.pipelineParallelism());
    assertThat(plan.pipelineParallelism()).isGreaterThan(1);
  }

  @Test
  void of_infeasiblePlan_throws() {
    // 141 GB of bf16 weights on two 80 GB H100s
    FitPlan plan =
        FitPlanner.planOn(
            FitRequest.builder()
                .architecture(
                    ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
                .maxModelLen(8192)
                .build(),
            "nvidia-h100-80gb",
            1);

    assertThat(plan.feasible()).isFalse();
    assertThatThrownBy(() -> VllmFlags.of(plan))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("infeasible");
  }
}
