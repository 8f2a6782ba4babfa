package io.github.gkeinference.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.samples.cli.GkeInferenceCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The TPU, multi-host and batch samples render what the planner says fits, or refuse. */
class SamplePlansTest {
  private static SampleOptions model(String id) {
    return new SampleOptions(Optional.of(id), Optional.empty());
  }

  private static WorkloadFacts vllm(RenderedSet set) {
    return set.workloads().stream()
        .filter(w -> w.server().filter("vllm"::equals).isPresent())
        .findFirst()
        .orElseThrow();
  }

  /**
   * Llama-3.1-405B holds some 810 GB of bf16 weights; the largest single-host v6e slice has 8 chips
   * of 32 GB: the sample must refuse instead of rendering TP 4 on a 2x2 slice.
   */
  @Test
  void onlineInferenceTpu_with405B_isRefusedWithThePlannersReason() {
    assertThatThrownBy(() -> OnlineInferenceTpu.render(model("meta-llama/Llama-3.1-405B-Instruct")))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("model")
        .hasMessageContaining("does not fit one host of tpu-v6e-slice")
        .hasMessageContaining("the planner's reasons");
  }

  @Test
  void cli_renderOnlineInferenceTpu_with405B_exits2WithOneErrorLineAndNoTrace() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        GkeInferenceCli.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "render",
            "online-inference-tpu",
            "--model",
            "meta-llama/Llama-3.1-405B-Instruct");

    assertThat(code).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(err.toString()).contains("does not fit one host of tpu-v6e-slice");
    assertThat(out.toString()).doesNotContain("kind: Deployment");
    assertThat(out + err.toString()).doesNotContain("\tat ", "Exception");
  }

  @Test
  void onlineInferenceTpu_unknownModel_isAPathNamedError() {
    assertThatThrownBy(() -> OnlineInferenceTpu.render(model("acme/not-a-model")))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("must be a model of the catalog");
  }

  /**
   * Qwen3-32B's bf16 weights (about 65 GB) exceed two v6e chips (2 x 32 GB), so the smallest
   * single-host slice that holds them is 4 chips (2x2), all used by tensor parallelism.
   */
  @Test
  void onlineInferenceTpu_default_takesTopologyAndParallelismFromThePlan() {
    FitPlan plan =
        SamplePlans.singleHost(
            "Qwen/Qwen3-32B",
            OnlineInferenceTpu.VLLM_ACCELERATOR,
            OnlineInferenceTpu.VLLM_MAX_MODEL_LEN);
    WorkloadFacts facts = vllm(OnlineInferenceTpu.render(SampleOptions.defaults()));

    assertThat(plan.devices()).isEqualTo(4);
    assertThat(plan.tpuTopology()).contains("2x2");
    assertThat(facts.tensorParallelism()).hasValue(plan.tensorParallelism());
    assertThat(facts.devices().orElseThrow().perPod()).isEqualTo(plan.devices());
  }

  /**
   * 810 GB of weights exceed one 8 x H100 machine (640 GB): the planner's layout spans hosts, one
   * pipeline stage per host, and the LeaderWorkerSet has one pod per host.
   */
  @Test
  void multiHost_takesHostsAndTensorParallelismFromThePlan() {
    FitPlan plan =
        SamplePlans.multiHost(MultiHost.MODEL, MultiHost.ACCELERATOR, MultiHost.MAX_MODEL_LEN);
    WorkloadFacts facts = vllm(MultiHost.render(SampleOptions.defaults()));

    assertThat(plan.hosts()).isGreaterThan(1);
    assertThat(facts.podsPerGroup()).isEqualTo(plan.hosts());
    assertThat(facts.tensorParallelism()).hasValue(plan.tensorParallelism());
    assertThat(facts.pipelineParallelism()).hasValue(plan.hosts());
  }

  /**
   * Llama-3.3-70B's 141 GB of bf16 weights plus 32,768 tokens of KV cache (80 layers x 8 KV heads x
   * 128 x 2 x 2 bytes = 320 KiB a token, about 10.7 GB) exceed 90% of two H100s (144 GB): four.
   */
  @Test
  void batch_takesGpusAndParallelismFromThePlan() {
    FitPlan plan = SamplePlans.singleHost(BatchInferenceSample.MODEL, "nvidia-h100-80gb", 32768);
    WorkloadFacts facts = vllm(BatchInferenceSample.render(SampleOptions.defaults()));

    assertThat(plan.devices()).isEqualTo(4);
    assertThat(facts.tensorParallelism()).hasValue(plan.tensorParallelism());
    assertThat(facts.devices().orElseThrow().perPod()).isEqualTo(plan.devices());
  }
}
