package io.github.gkeinference.samples;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.catalog.MachineShape;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.ManagedPrometheus;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.scrape.ScrapeConfigs;
import io.github.gkeinference.serving.VllmServer;
import java.util.Locale;
import java.util.Map;

/**
 * Online inference on GPUs: vLLM serving Llama-3.1-8B-Instruct on NVIDIA L4, weights from Cloud
 * Storage through GCS FUSE.
 *
 * <p>Use it for a chat or completion endpoint inside the cluster. The fit planner chooses the GPU
 * count, tensor parallelism and KV-cache settings for the model and accelerator, so {@code --model
 * meta-llama/Llama-3.3-70B-Instruct --accelerator nvidia-h100-80gb} gets four GPUs. It renders a
 * ComputeClass for that shape, the vLLM ServiceAccount, Deployment, Service and
 * PodDisruptionBudget, a NetworkPolicy, a PodMonitoring for Managed Prometheus and an HPA on vLLM's
 * queue length.
 */
public final class OnlineInferenceGpu {
  /** The sample's name on the command line. */
  public static final String NAME = "online-inference-gpu";

  static final String DEFAULT_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  static final String DEFAULT_ACCELERATOR = "nvidia-l4";
  static final String NAMESPACE = "inference";
  static final String BUCKET = "my-project-models";

  /** The context the service must support; the planner sizes the KV cache for it. */
  static final int MAX_MODEL_LEN = 8192;

  private OnlineInferenceGpu() {}

  /**
   * Renders the sample.
   *
   * @param options the model and accelerator to use instead of the defaults
   * @return the ComputeClass, the server bundle, a NetworkPolicy, a PodMonitoring and an HPA
   */
  public static RenderedSet render(SampleOptions options) {
    String modelId = options.model().orElse(DEFAULT_MODEL);
    String accelerator = options.accelerator().orElse(DEFAULT_ACCELERATOR);
    FitPlan plan = plan(options);
    String computeClass = "gpu-" + accelerator.replace("nvidia-", "") + "-x" + plan.devices();
    String machineType = machineType(accelerator, plan.devices(), modelId);

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
            .placement(
                plan.placement().toBuilder()
                    .computeClass(computeClass)
                    .machineType(machineType)
                    .build())
            .build();
    RenderedSet server = vllm.render();
    return server
        .plus(
            Accelerators.computeClass(computeClass, accelerator)
                .devices(plan.devices())
                .machineType(machineType)
                .build()
                .render())
        .plus(RenderedSet.of(networkPolicy(vllm.selectorLabels())))
        // Managed Prometheus scrapes exactly the Deployment's pods; the selector comes from it
        .plus(RenderedSet.of(ScrapeConfigs.modelServer(ModelServer.VLLM, server.workload())))
        .plus(
            InferenceAutoscaler.builder()
                .target(server)
                .minReplicas(1)
                .maxReplicas(4)
                .addMetrics(ScalingMetric.vllmQueue())
                .build()
                .render());
  }

  /**
   * Returns the fit request this sample plans with: the model at {@value #MAX_MODEL_LEN} tokens on
   * the accelerator, every other setting at the planner's default (so {@code --max-num-seqs} is
   * {@value FitRequest#DEFAULT_MAX_NUM_SEQS}).
   *
   * @param options the model and accelerator to use instead of the defaults
   * @return the request
   * @throws io.github.gkeinference.core.validate.SdkValidationException naming both the model and
   *     the accelerator when neither is in its catalog
   */
  public static FitRequest fitRequest(SampleOptions options) {
    String modelId = options.model().orElse(DEFAULT_MODEL);
    String accelerator = options.accelerator().orElse(DEFAULT_ACCELERATOR);
    Violations v = Violations.root();
    v.require(
        ModelCatalog.find(modelId).isPresent(),
        "model",
        modelId,
        "must be a model of the catalog (see 'gke-inference catalog models')");
    Accelerators.catalog().checkLabel(v, "accelerator", accelerator);
    v.throwIfErrors();
    return FitRequest.builder()
        .architecture(ModelCatalog.require(modelId).architecture())
        .maxModelLen(MAX_MODEL_LEN)
        .addCandidates(accelerator)
        .build();
  }

  /**
   * Plans the sample's model on its accelerator.
   *
   * @param options the model and accelerator to use instead of the defaults
   * @return the feasible plan
   * @throws io.github.gkeinference.core.validate.SdkValidationException for an unknown model or
   *     accelerator, or a pair that does not fit (with the planner's reasons)
   */
  public static FitPlan plan(SampleOptions options) {
    FitRequest request = fitRequest(options);
    FitPlan plan = Accelerators.plan(request).plans().get(0);
    if (!plan.feasible()) {
      Violations v = Violations.root();
      v.error(
          "accelerator",
          plan.accelerator(),
          "cannot serve "
              + options.model().orElse(DEFAULT_MODEL)
              + ": "
              + String.join("; ", plan.reasons()));
      v.throwIfErrors();
    }
    return plan;
  }

  /**
   * The smallest machine with the plan's GPU count whose memory holds the weights twice over (GCS
   * FUSE keeps its file cache in RAM, gke-facts.md section 3.6) plus 16 GB for the server and the
   * node; the planner's smallest machine leaves no room for that cache.
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
   * Admits traffic only from the same namespace and from Managed Prometheus (namespace {@code
   * gmp-system}, or {@code gke-gmp-system} on Autopilot: {@link ManagedPrometheus}); everything
   * else is denied.
   */
  static NetworkPolicy networkPolicy(Map<String, String> serverPods) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName("vllm")
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(serverPods)
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewPodSelector()
        .endPodSelector()
        .endFrom()
        .addNewFrom()
        .withNamespaceSelector(ManagedPrometheus.collectorNamespaces())
        .endFrom()
        .endIngress()
        .endSpec()
        .build();
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
