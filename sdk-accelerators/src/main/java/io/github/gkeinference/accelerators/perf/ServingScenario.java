package io.github.gkeinference.accelerators.perf;

import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * What the performance model estimates: a model on one replica of {@code tensorParallelism x
 * pipelineParallelism} devices, with its weight and KV-cache dtypes, serving requests of {@code
 * inputTokens} prompt and {@code outputTokens} generated tokens.
 *
 * <pre>{@code
 * ServingScenario s = ServingScenario.builder()
 *     .architecture(ModelCatalog.require("meta-llama/Llama-3.3-70B-Instruct").architecture())
 *     .device(catalog.require("nvidia-h100-80gb").performanceFacts().orElseThrow())
 *     .tensorParallelism(4)
 *     .inputTokens(1024)
 *     .outputTokens(256)
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableServingScenario.class)
public interface ServingScenario extends Parallelism {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The model. */
  ModelArchitecture architecture();

  /** The speeds of one device. */
  DevicePerformance device();

  /** Devices that split every layer; default 1. */
  @Value.Default
  default int tensorParallelism() {
    return 1;
  }

  /** Stages that split the layers (one host each for multi-host GPUs); default 1. */
  @Value.Default
  default int pipelineParallelism() {
    return 1;
  }

  /** The weight dtype; default the model's native dtype. */
  @Value.Default
  default DataType weightDtype() {
    return architecture().nativeDtype();
  }

  /** The KV-cache dtype; default bf16. */
  @Value.Default
  default DataType kvCacheDtype() {
    return DataType.BF16;
  }

  /** Prompt tokens per request. */
  int inputTokens();

  /** Generated tokens per request. */
  int outputTokens();

  /** The efficiency assumptions; default {@link Efficiency#defaults()}. */
  @Value.Default
  default Efficiency efficiency() {
    return Efficiency.defaults();
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    Parallelism.check(this, v);
    v.require(inputTokens() >= 1, "inputTokens", inputTokens(), "must be at least 1");
    v.require(outputTokens() >= 1, "outputTokens", outputTokens(), "must be at least 1");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableServingScenario.Builder {}
}
