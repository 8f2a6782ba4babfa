package io.github.gkeinference.accelerators;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.computeclass.ComputeClass;
import io.github.gkeinference.accelerators.computeclass.ComputeClassPreset;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
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

    AcceleratorComputeClass computeClass =
        Accelerators.computeClass(plan.shape()).preset(ComputeClassPreset.STANDARD).build();
    ComputeClass resource = computeClass.computeClass();
    PodScheduling pod = computeClass.placement().schedule();

    assertThat(plan.machineType()).isEqualTo("a3-highgpu-4g");
    assertThat(plan.tensorParallelism()).isEqualTo(4);
    assertThat(plan.maxModelLen()).isEqualTo(8192);
    assertThat(pod.resources().getRequests().get("nvidia.com/gpu")).hasToString("4");
    assertThat(pod.machine().machineType()).isEqualTo("a3-highgpu-4g");
    assertThat(resource.getMetadata().getName()).isEqualTo("gpu-h100-80gb-x4");
    assertThat(pod.nodeSelector())
        .containsEntry(AcceleratorPlacement.COMPUTE_CLASS_LABEL, "gpu-h100-80gb-x4");
    SchemaValidator.forTests().assertValid(resource);
    assertThat(resource.getSpec().priorities())
        .allSatisfy(p -> assertThat(p.machineType()).isEqualTo("a3-highgpu-4g"));
  }
}
