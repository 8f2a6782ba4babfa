package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.accelerators.plan.ServingGoal;
import io.github.gkeinference.accelerators.plan.ServingOption;
import io.github.gkeinference.accelerators.plan.ServingPlanner;
import io.github.gkeinference.accelerators.plan.ServingReport;
import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.scrape.ScrapeConfigs;
import io.github.gkeinference.serving.VllmServer;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Online inference on GPUs: vLLM serving Llama-3.1-8B-Instruct on NVIDIA L4, weights from Cloud
 * Storage through GCS FUSE.
 *
 * <p>Use it for a chat or completion endpoint inside the cluster. The serving planner ({@link
 * ServingPlanner}) chooses the GPU count, tensor parallelism and replicas by its objective: the
 * single-host option with the lowest $/hour that meets the SLO of the interactive chat workload
 * ({@link ServingGoal}; one replica, today one L4), or of the options' max model len, QPS (the
 * replicas it needs), TTFT and NTPOT. The server then takes the longest context that layout serves
 * well ({@link ServingPlanner#longestContext}), so {@code --model meta-llama/Llama-3.3-70B-Instruct
 * --accelerator nvidia-h100-80gb} gets four GPUs, TP 4 and the model's 131,072 tokens. It renders a
 * ComputeClass for that shape, the vLLM ServiceAccount, its read-only grant on the model bucket (a
 * Config Connector IAMPolicyMember for the account's Workload Identity principal), Deployment,
 * Service, PodDisruptionBudget and NetworkPolicy (the server's own: the namespace and the Managed
 * Prometheus collector only), a PodMonitoring for Managed Prometheus and an HPA on vLLM's queue
 * length, from the planned replicas up.
 */
public final class OnlineInferenceGpu {
  /** The sample's name on the command line. */
  public static final String NAME = "online-inference-gpu";

  static final String DEFAULT_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  static final String DEFAULT_ACCELERATOR = "nvidia-l4";
  static final String NAMESPACE = "inference";
  static final String BUCKET = "my-project-models";

  /**
   * The cluster project's Workload Identity pool; a placeholder project id and number, like the
   * bucket: replace both with your project's ({@code gcloud projects describe PROJECT_ID}).
   */
  static final WorkloadIdentityPool PROJECT = WorkloadIdentityPool.of("my-project", 123456789012L);

  /**
   * The HPA's replica ceiling without a target rate; with one, twice the replicas the planner sizes
   * for it, for bursts.
   */
  static final int MAX_REPLICAS = 4;

  private OnlineInferenceGpu() {}

  /**
   * Renders the sample.
   *
   * @param options the model, accelerator and targets to use instead of the defaults
   * @return the ComputeClass, the server bundle, a NetworkPolicy, a PodMonitoring and an HPA
   */
  public static RenderedSet render(SampleOptions options) {
    String modelId = options.model().orElse(DEFAULT_MODEL);
    String accelerator = options.accelerator().orElse(DEFAULT_ACCELERATOR);
    ServingGoal goal = servingGoal(options);
    ServingOption best = recommendation(goal, options);
    FitPlan plan = served(goal, best, options);
    // the plan's shape on a machine type with room to cache the weights in RAM; named after it
    AcceleratorComputeClass computeClass =
        Accelerators.computeClass(plan.shape())
            .machineType(machineType(accelerator, plan.devices(), modelId))
            .build();
    int maxReplicas = Math.max(MAX_REPLICAS, 2 * best.replicas());

    VllmServer vllm =
        VllmServer.builder()
            .name("vllm")
            .namespace(NAMESPACE)
            .modelId(modelId)
            .source(
                GcsFuseSource.builder()
                    .location(GcsLocation.of(BUCKET, modelId.toLowerCase(Locale.ROOT)))
                    .build())
            .plan(plan)
            .replicas(best.replicas())
            // the HPA below may scale to this: roll one replica at a time, spread over zones
            .maxReplicas(maxReplicas)
            // the server's service account may read exactly the model bucket, nothing else
            .workloadIdentity(PROJECT)
            .placement(computeClass.placement())
            .build();
    RenderedSet server = vllm.render();
    return server
        .plus(computeClass.render())
        // Managed Prometheus scrapes exactly the Deployment's pods; the selector comes from it
        .plus(RenderedSet.of(ScrapeConfigs.modelServer(ModelServer.VLLM, server.workload())))
        .plus(
            InferenceAutoscaler.builder()
                .target(server)
                .minReplicas(best.replicas())
                .maxReplicas(maxReplicas)
                .addMetrics(ScalingMetric.vllmQueue())
                .build()
                .render());
  }

  /**
   * Returns the serving goal this sample plans with: the model on the accelerator, with the
   * options' max model len, QPS, TTFT and NTPOT, every other setting at {@link ServingGoal}'s
   * default (the interactive chat workload).
   *
   * @param options the model, accelerator and targets to use instead of the defaults
   * @return the goal
   * @throws io.github.gkeinference.core.validate.SdkValidationException naming both the model and
   *     the accelerator when neither is in its catalog
   */
  public static ServingGoal servingGoal(SampleOptions options) {
    String modelId = options.model().orElse(DEFAULT_MODEL);
    String accelerator = options.accelerator().orElse(DEFAULT_ACCELERATOR);
    Violations v = Violations.root();
    SamplePlans.checkModel(v, modelId);
    Accelerators.catalog().checkLabel(v, "accelerator", accelerator);
    v.throwIfErrors();
    ServingGoal.Builder goal =
        ServingGoal.builder()
            .architecture(ModelCatalog.require(modelId).architecture())
            .addCandidates(accelerator);
    options.maxModelLen().ifPresent(goal::maxModelLen);
    options.qps().ifPresent(goal::targetQps);
    options.ttftMillis().ifPresent(goal::ttftMillis);
    options.ntpotMillis().ifPresent(goal::ntpotMillis);
    return goal.build();
  }

  /**
   * Returns the memory request of this sample's plan: its goal's ({@link ServingGoal#fitRequest()})
   * with the max model len the sample serves.
   *
   * @param options the model, accelerator and targets to use instead of the defaults
   * @return the request
   * @throws io.github.gkeinference.core.validate.SdkValidationException for an unknown model or
   *     accelerator, bad targets, or a goal no single-host option meets
   */
  public static FitRequest fitRequest(SampleOptions options) {
    ServingGoal goal = servingGoal(options);
    FitPlan plan = served(goal, recommendation(goal, options), options);
    return goal.fitRequest().toBuilder().maxModelLen(plan.maxModelLen()).build();
  }

  /**
   * Returns the planner's recommendation for this sample: the cheapest option on one host that
   * meets the goal ({@link ServingPlanner}; the sample renders a single-host Deployment, {@code
   * multi-host} renders the others).
   *
   * @param options the model, accelerator and targets to use instead of the defaults
   * @return the option, with its replicas and estimates
   * @throws io.github.gkeinference.core.validate.SdkValidationException for an unknown model or
   *     accelerator, bad targets, or a goal no single-host option meets (with the planner's
   *     reasons)
   */
  public static ServingOption recommendation(SampleOptions options) {
    return recommendation(servingGoal(options), options);
  }

  private static ServingOption recommendation(ServingGoal goal, SampleOptions options) {
    ServingReport report = ServingPlanner.plan(goal);
    Optional<ServingOption> best =
        report.feasible().stream().filter(o -> o.fit().hosts() == 1).findFirst();
    if (best.isEmpty()) {
      Violations v = Violations.root();
      String model = options.model().orElse(DEFAULT_MODEL);
      if (report.recommendation().isPresent()) {
        v.error(
            "accelerator",
            goal.candidates().get(0),
            "serves "
                + model
                + " only across hosts ("
                + report.recommendation().get().name()
                + "); render the multi-host sample instead");
      } else {
        v.error(
            "accelerator",
            goal.candidates().get(0),
            "cannot serve "
                + model
                + " for this goal: "
                + report.rejected().stream()
                    .map(o -> o.name() + ": " + String.join("; ", o.reasons()))
                    .collect(Collectors.joining(" | ")));
      }
      v.throwIfErrors();
    }
    return best.orElseThrow();
  }

  /**
   * Plans the sample: the recommendation's layout, served with the options' max model len or else
   * the longest context the layout serves well ({@link ServingPlanner#longestContext}).
   *
   * @param options the model, accelerator and targets to use instead of the defaults
   * @return the feasible plan
   * @throws io.github.gkeinference.core.validate.SdkValidationException for an unknown model or
   *     accelerator, bad targets, or a goal no single-host option meets (with the planner's
   *     reasons)
   */
  public static FitPlan plan(SampleOptions options) {
    ServingGoal goal = servingGoal(options);
    return served(goal, recommendation(goal, options), options);
  }

  private static FitPlan served(ServingGoal goal, ServingOption best, SampleOptions options) {
    return options.maxModelLen().isPresent()
        ? best.fit()
        : ServingPlanner.longestContext(goal, best);
  }

  /**
   * The smallest machine with the plan's GPU count whose memory holds the weights twice over (GCS
   * FUSE keeps its file cache in RAM,
   * https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-storage-fuse-csi-driver-perf) plus
   * 16 GB for the server and the node; the planner's smallest machine leaves no room for that
   * cache.
   */
  static String machineType(String accelerator, int devices, String modelId) {
    double weightsGb = ModelCatalog.require(modelId).architecture().weightBytes() / 1e9;
    return Accelerators.catalog().require(accelerator).machineShapes().stream()
        .filter(s -> s.devices() == devices && s.deviceFraction() == 1.0)
        .filter(s -> s.memoryGb() >= 2 * weightsGb + 16)
        .min(java.util.Comparator.comparingDouble(MachineShape::memoryGb))
        .map(MachineShape::machineType)
        .orElseThrow(
            () -> {
              Violations v = Violations.root();
              v.error(
                  "accelerator",
                  accelerator,
                  "has no machine with "
                      + devices
                      + " GPUs and room to cache "
                      + modelId
                      + " in RAM");
              v.throwIfErrors();
              return new IllegalStateException();
            });
  }

  /**
   * Prints the rendered YAML.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.print(ManifestYaml.toYaml(render(SampleOptions.defaults())));
  }
}
