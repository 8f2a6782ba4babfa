package io.github.gkeinference.accelerators.giq;

import io.github.gkeinference.core.spec.SdkStyle;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A GKE Inference Quickstart profile ({@code gkerecommender.v1.Profile}): one model on one model
 * server version, accelerator and machine type, with the operating points GIQ measured.
 *
 * <p>{@link #acceleratorType()} uses the GKE accelerator label ({@code nvidia-h100-80gb}), the same
 * names as this SDK's accelerator catalog, so a profile maps to a catalog entry with {@code
 * AcceleratorCatalog.byLabel}.
 */
@Value.Immutable
@SdkStyle
public interface GiqProfile {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The model, a Hugging Face id such as {@code meta-llama/Llama-3.3-70B-Instruct}. */
  String model();

  /** The model server, for example {@code vllm}. */
  String modelServer();

  /** The model server version, for example {@code v0.7.2}. */
  String modelServerVersion();

  /** The GKE accelerator label, for example {@code nvidia-h100-80gb}. */
  String acceleratorType();

  /** The TPU topology, for example {@code 2x4}; empty for GPUs. */
  Optional<String> tpuTopology();

  /** The machine type, for example {@code a3-highgpu-4g}. */
  String instanceType();

  /** Accelerators one server uses. */
  int acceleratorCount();

  /** The operating points GIQ measured, in the order it returned them. */
  List<GiqMeasurement> measurements();

  /**
   * Returns the measured point with the most output tokens per second that meets latency targets:
   * what a replica of this profile can serve under that SLO.
   *
   * @param ttftMillis the TTFT target, milliseconds
   * @param ntpotMillis the NTPOT target, milliseconds
   * @return the point, or empty when no measured point meets the targets
   */
  default Optional<GiqMeasurement> best(double ttftMillis, double ntpotMillis) {
    return measurements().stream()
        .filter(m -> m.meets(ttftMillis, ntpotMillis))
        .max(Comparator.comparingDouble(GiqMeasurement::outputTokensPerSecond));
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGiqProfile.Builder {}
}
