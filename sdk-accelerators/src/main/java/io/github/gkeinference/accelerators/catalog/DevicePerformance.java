package io.github.gkeinference.accelerators.catalog;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;

/**
 * The speeds of one accelerator device (GPU or TPU chip) that the performance model reads: peak
 * dense matrix throughput, memory bandwidth and the device-to-device link, each as its vendor
 * publishes it.
 *
 * <p>All figures are peak and dense (without 2:4 sparsity); the performance model applies named
 * efficiencies to them ({@code perf.Efficiency}). Bandwidths are bytes per second; link bandwidth
 * is one direction per device (half of a "bidirectional" figure).
 *
 * <pre>{@code
 * DevicePerformance h100 = AcceleratorCatalog.standard().require("nvidia-h100-80gb")
 *     .performanceFacts().orElseThrow();
 * double tflops = h100.peakBf16Flops() / 1e12;   // 989
 * }</pre>
 */
@Value.Immutable
@SdkStyle
public interface DevicePerformance {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Peak dense bf16 (fp16 on T4) matrix throughput of one device, FLOP/s. */
  double peakBf16Flops();

  /**
   * Peak dense 8-bit matrix throughput of one device, FLOP/s (OP/s): fp8 on GPUs that have it, int8
   * on TPUs; 0 when the device has no 8-bit path the serving stack uses (T4, A100).
   */
  double peak8BitFlops();

  /**
   * The 8-bit format {@link #peak8BitFlops()} is for: {@code fp8}, {@code int8} or {@code none}.
   */
  String eightBitFormat();

  /**
   * Peak dense FP4 matrix throughput of one device, FLOP/s: the FP4 tensor cores of Blackwell GPUs;
   * 0 (the default) when the device has none (Hopper and older GPUs, the catalog's TPUs), so FP4
   * weights (MXFP4, NVFP4) are dequantised for the matrix multiply. The performance model does not
   * use it (it computes FP4 weights at the bf16 peak); the planner reads it ({@link
   * #hasFp4TensorCores()}) to say where an FP4 estimate is likely optimistic.
   */
  @Value.Default
  default double peakFp4Flops() {
    return 0;
  }

  /**
   * Returns whether the device computes FP4 matrix multiplies natively ({@code peakFp4Flops > 0}).
   */
  default boolean hasFp4TensorCores() {
    return peakFp4Flops() > 0;
  }

  /** Memory (HBM or GDDR) bandwidth of one device, bytes/s. */
  double memoryBandwidth();

  /** Device-to-device bandwidth within one host or slice, one direction per device, bytes/s. */
  double interconnectBandwidth();

  /** The link {@link #interconnectBandwidth()} describes, for example {@code NVLink 4} or ICI. */
  String interconnect();

  /** Where the figures come from. */
  Source source();

  /** Checks that every figure is positive (the 8-bit peak may be 0). */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(peakBf16Flops() > 0, "peakBf16Flops", peakBf16Flops(), "must be above 0");
    v.require(peak8BitFlops() >= 0, "peak8BitFlops", peak8BitFlops(), "must be 0 or more");
    v.require(peakFp4Flops() >= 0, "peakFp4Flops", peakFp4Flops(), "must be 0 or more");
    v.require(memoryBandwidth() > 0, "memoryBandwidth", memoryBandwidth(), "must be above 0");
    v.require(
        interconnectBandwidth() > 0,
        "interconnectBandwidth",
        interconnectBandwidth(),
        "must be above 0");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableDevicePerformance.Builder {}
}
