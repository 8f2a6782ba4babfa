package io.github.gkeinference.accelerators.computeclass;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeClassConsistencyTest {

  private static ComputeClass x2() {
    return AcceleratorComputeClass.builder()
        .name("gpu-h100-80gb-high-x2")
        .accelerator("nvidia-h100-80gb")
        .devices(2)
        .build()
        .computeClass();
  }

  private static List<Violation> checks(ComputeClass cc) {
    Violations v = Violations.root();
    cc.validate(v);
    return v.all();
  }

  @Test
  void renderedClass_isConsistent() {
    assertThat(checks(x2())).isEmpty();
  }

  @Test
  void aFallbackRuleOnAOneGpuMachine_isReportedAtThatPriority() {
    ComputeClass cc = x2();
    List<ComputeClass.Priority> priorities = new ArrayList<>(cc.getSpec().priorities());
    ComputeClass.Priority last = priorities.get(priorities.size() - 1);
    priorities.add(
        new ComputeClass.Priority(
            null, "a3-highgpu-1g", last.gpu(), null, null, null, null, null, null, null));
    ComputeClass.Spec spec = cc.getSpec();
    cc.setSpec(
        new ComputeClass.Spec(
            spec.activeMigration(),
            spec.nodePoolAutoCreation(),
            spec.nodePoolConfig(),
            priorities,
            spec.whenUnsatisfiable()));

    assertThat(checks(cc))
        .extracting(Violation::path, Violation::rejectedValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spec.priorities[" + (priorities.size() - 1) + "].machineType", "a3-highgpu-1g"));
  }
}
