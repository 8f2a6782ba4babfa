package io.github.gkeinference.accelerators;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.computeclass.ComputeClass;
import io.github.gkeinference.accelerators.computeclass.ComputeClassPreset;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.testing.SchemaValidator;
import org.junit.jupiter.api.Test;

/** The README's example, compiled and checked so that the README stays true. */
class AcceleratorsTest {

  @Test
  void readmeExample_plansLlama70bOnFourH100_andRendersItsClassAndPod() {
    FitPlan plan =
        Accelerators.plan(
                FitRequest.builder()
                    .architecture(
                        ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
                    .maxModelLen(8192)
                    .addCandidate("nvidia-h100-80gb")
                    .build())
            .recommendation()
            .orElseThrow();

    PodScheduling pod = plan.placement().schedule();
    ComputeClass computeClass =
        Accelerators.computeClass("gpu-h100-80gb-high-x4", plan.accelerator())
            .devices(plan.devices())
            .preset(ComputeClassPreset.STANDARD)
            .build()
            .computeClass();

    assertThat(plan.machineType()).isEqualTo("a3-highgpu-4g");
    assertThat(plan.tensorParallelism()).isEqualTo(4);
    assertThat(plan.maxModelLen()).isEqualTo(8192);
    assertThat(pod.resources().getRequests().get("nvidia.com/gpu")).hasToString("4");
    assertThat(pod.machine().machineType()).isEqualTo("a3-highgpu-4g");
    SchemaValidator.forTests().assertValid(computeClass);
    assertThat(computeClass.getSpec().priorities())
        .allSatisfy(p -> assertThat(p.machineType()).isEqualTo("a3-highgpu-4g"));
  }
}
