package io.github.gkeinference.autoscaling.simulation;

import static io.github.gkeinference.autoscaling.simulation.HpaControllerTest.TARGET;
import static io.github.gkeinference.autoscaling.simulation.HpaControllerTest.permissive;
import static io.github.gkeinference.autoscaling.simulation.HpaControllerTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The simulator's HPA against the Kubernetes formula on random metric sequences. */
class HpaControllerProperties {

  @Property(tries = 200)
  void reconcile_withoutWindowsOrRateLimits_isTheKubernetesFormula(
      @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 0, max = 40) Double> metrics,
      @ForAll @IntRange(min = 1, max = 20) int start) {
    int min = 1;
    int max = 50;
    HpaController hpa = permissive(min, max);
    int current = Math.min(max, start);
    long t = 15;
    for (double m : metrics) {
      double ratio = m / TARGET;
      int expected =
          Math.abs(1 - ratio) <= 0.1
              ? current
              : Math.max(min, Math.min(max, (int) Math.ceil(current * ratio)));
      current = step(hpa, t, current, m);
      assertThat(current).as("metric %s", m).isEqualTo(expected);
      t += 15;
    }
  }
}
