package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitPlanner;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingOption;
import io.github.gkeinference.accelerators.plan.ServingPlanner;
import io.github.gkeinference.accelerators.plan.ServingReport;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The planner calls the samples share, so that a sample renders only a layout the planner says
 * fits, with the parallelism of that plan, and an impossible model/accelerator pair is an {@link
 * io.github.gkeinference.core.validate.SdkValidationException} carrying the planner's reasons.
 */
final class SamplePlans {
  private SamplePlans() {}

  /**
   * Reports a model that is not in the catalog at {@code model}.
   *
   * @param v the violations to add to
   * @param modelId the Hugging Face id
   */
  static void checkModel(Violations v, String modelId) {
    v.require(
        ModelCatalog.find(modelId).isPresent(),
        "model",
        modelId,
        "must be a model of the catalog (see 'gke-inference catalog models')");
  }

  private static ModelArchitecture architecture(String modelId) {
    Violations v = Violations.root();
    checkModel(v, modelId);
    v.throwIfErrors();
    return ModelCatalog.require(modelId).architecture();
  }

  /**
   * Returns the smallest single-host layout of {@code accelerator} (GPUs of one machine, or chips
   * of one single-host TPU slice) that holds the model's weights and KV cache for {@code
   * maxModelLen} tokens ({@link FitPlanner}).
   *
   * @param modelId a catalog model
   * @param accelerator the accelerator label
   * @param maxModelLen the context to serve
   * @return the feasible plan
   * @throws io.github.gkeinference.core.validate.SdkValidationException at {@code model} for a
   *     model outside the catalog or one no single-host layout holds, with the planner's reasons
   */
  static FitPlan singleHost(String modelId, String accelerator, int maxModelLen) {
    FitRequest request =
        FitRequest.builder()
            .architecture(architecture(modelId))
            .maxModelLen(maxModelLen)
            .addCandidates(accelerator)
            .build();
    FitPlan plan = FitPlanner.plan(request).forAccelerator(accelerator).orElseThrow();
    if (!plan.feasible()) {
      Violations v = Violations.root();
      v.error(
          "model",
          modelId,
          "does not fit one host of "
              + accelerator
              + " at max model len "
              + maxModelLen
              + " (the planner's reasons: "
              + String.join("; ", plan.reasons())
              + ")");
      v.throwIfErrors();
    }
    return plan;
  }

  /**
   * Returns the serving planner's cheapest feasible layout of {@code accelerator} that spans more
   * than one host ({@link ServingPlanner}, the interactive chat workload of {@link ServingGoal}).
   *
   * @param modelId a catalog model
   * @param accelerator the accelerator label
   * @param maxModelLen the context to serve
   * @return the feasible plan, one pipeline stage per host
   * @throws io.github.gkeinference.core.validate.SdkValidationException at {@code model} for a
   *     model outside the catalog or one no multi-host layout serves, with the planner's reasons
   */
  static FitPlan multiHost(String modelId, String accelerator, int maxModelLen) {
    ServingReport report =
        ServingPlanner.plan(
            ServingGoal.builder()
                .architecture(architecture(modelId))
                .maxModelLen(maxModelLen)
                .addCandidates(accelerator)
                .build());
    Optional<ServingOption> best =
        report.feasible().stream().filter(o -> o.fit().hosts() > 1).findFirst();
    if (best.isEmpty()) {
      Violations v = Violations.root();
      v.error(
          "model",
          modelId,
          "has no multi-host layout on "
              + accelerator
              + " at max model len "
              + maxModelLen
              + " (the planner's reasons: "
              + report.rejected().stream()
                  .filter(o -> o.fit().hosts() > 1)
                  .map(o -> o.name() + ": " + String.join("; ", o.reasons()))
                  .collect(Collectors.joining(" | "))
              + ")");
      v.throwIfErrors();
    }
    return best.orElseThrow().fit();
  }
}
