package io.github.gkeinference.accelerators.catalog;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The devices' peak speeds. Dense figures: NVIDIA states tensor throughput "with sparsity", so the
 * dense value is half the headline; TPU pages state dense peaks. Link bandwidths are one direction
 * per device: half the bidirectional NVLink / ICI figure.
 */
final class PerformanceData {
  private static final double T = 1e12;
  private static final double GB = 1e9;

  private PerformanceData() {}

  // NVIDIA product pages are the primary sources; the figures were read in public copies of the
  // datasheets that agree with them (hence SECONDARY).
  private static final Source T4 =
      Source.secondary(
          "https://www.nvidia.com/en-us/data-center/tesla-t4/ (65 TFLOPS fp16 mixed precision,"
              + " 130 TOPS int8, 320 GB/s, PCIe Gen3 x16)");
  private static final Source L4 =
      Source.secondary(
          "https://www.nvidia.com/en-us/data-center/l4/ (bf16 242, fp8 485 TFLOPS with sparsity;"
              + " 300 GB/s; PCIe Gen4 x16 64 GB/s)");
  private static final Source A100 =
      Source.secondary(
          "https://www.nvidia.com/en-us/data-center/a100/ (bf16 312 TFLOPS dense; 40GB 1,555"
              + " GB/s, 80GB 2,039 GB/s; NVLink 600 GB/s bidirectional)");
  private static final Source H100 =
      Source.secondary(
          "https://www.nvidia.com/en-us/data-center/h100/ (H100 SXM: bf16 1,979 and fp8 3,958"
              + " TFLOPS with sparsity; 3.35 TB/s; NVLink 900 GB/s)");
  private static final Source H200 =
      Source.secondary(
          "https://www.nvidia.com/en-us/data-center/h200/ (H100 compute; 4.8 TB/s HBM3e; NVLink"
              + " 900 GB/s)");
  // B200 and GB200 (December 2026): NVIDIA's pages read in public copies that quote them
  // (hence SECONDARY). NVIDIA states Tensor Core figures with sparsity and per system; the
  // per-GPU dense values are derived as written in each citation.
  private static final Source B200 =
      Source.secondary(
          "https://www.nvidia.com/en-us/data-center/dgx-b200/ (8 GPUs: 1,440 GB HBM3e, 64 TB/s;"
              + " FP4 Tensor Core 144 | 72 PFLOPS sparse | dense; FP8 72 PFLOPS; NVLink 14.4 TB/s)"
              + " and https://www.nvidia.com/en-us/data-center/hgx/ (HGX B200, 8 GPUs: FP16/BF16"
              + " 36, FP8/FP6 72 PFLOPS). Derived per GPU, dense: bf16 36 / 2 / 8 = 2.25 and fp8"
              + " 72 / 2 / 8 = 4.5 PFLOPS, fp4 72 / 8 = 9 PFLOPS (the FP8 and BF16 figures read as sparse: Blackwell's"
              + " FP8 rate is half its FP4 rate, whose dense value is 72; public copies of the HGX"
              + " page disagree on its footnote); HBM 64 / 8 = 8 TB/s (NVIDIA's HGX B200"
              + " datasheet is quoted at 7.7 TB/s per GPU, 4% less); NVLink 14.4 / 8 = 1.8 TB/s"
              + " both directions, 900 GB/s each");
  private static final Source GB200 =
      Source.secondary(
          "https://www.nvidia.com/en-us/data-center/gb200-nvl72/ (GB200 Grace Blackwell"
              + " Superchip, 1 Grace CPU and 2 Blackwell GPUs: FP4 Tensor Core 40, FP16/BF16 10 and"
              + " FP8/FP6 20 PFLOPS with sparsity per the page's footnote; 372 GB HBM3e (384 GB in an"
              + " earlier version of the page), 16 TB/s; NVLink 3.6 TB/s). Derived per GPU, dense:"
              + " bf16 10 / 2 / 2 = 2.5, fp8 20 / 2 / 2 = 5 and fp4 40 / 2 / 2 = 10 PFLOPS; HBM 16 / 2 = 8 TB/s; NVLink"
              + " 3.6 / 2 = 1.8 TB/s both directions, 900 GB/s each. The NVL72 column agrees over"
              + " 72 GPUs: 360 PFLOPS bf16 sparse, 576 TB/s, 130 TB/s");
  private static final Source RTX_PRO =
      Source.unconfirmed(
          "https://www.nvidia.com/en-us/data-center/rtx-pro-6000-blackwell-server-edition/"
              + " (4 PFLOPS fp4 with sparsity, hence fp4 2, fp8 1, bf16 0.5 PFLOPS dense; 1,597 GB/s;"
              + " PCIe Gen5 x16); not re-read");
  private static final Source V5E =
      Source.verified(
          "https://cloud.google.com/tpu/docs/v5e (bf16 197 TFLOPs, int8 393 TOPs, 819 GBps,"
              + " ICI 400 GBps bidirectional)");
  private static final Source V5P =
      Source.verified(
          "https://cloud.google.com/tpu/docs/v5p (bf16 459, fp8 459 TFLOPs, 2765 GBps, ICI 1200"
              + " GBps bidirectional)");
  private static final Source V6E =
      Source.verified(
          "https://cloud.google.com/tpu/docs/v6e (bf16 918 TFLOPs, int8 1836 TOPs, 1638 GBps,"
              + " ICI 800 GBps bidirectional)");
  private static final Source TPU7X =
      Source.secondary(
          "https://cloud.google.com/tpu/docs/tpu7x (bf16 2307, fp8 4614 TFLOPs; HBM 7380 GBps"
              + " and ICI 1200 GBps bidirectional not re-read)");
  private static final Source V4 =
      Source.unconfirmed(
          "https://cloud.google.com/tpu/docs/v4 (bf16/int8 275 TFLOPS, 1200 GBps, ICI 2400"
              + " Gbps, as recalled); not re-read");

  private static final Map<String, DevicePerformance> BY_LABEL =
      Map.ofEntries(
          Map.entry(
              "nvidia-tesla-t4", device(65 * T, 0, "none", 320 * GB, 16 * GB, "PCIe Gen3", T4)),
          Map.entry(
              "nvidia-l4", device(121 * T, 242.5 * T, "fp8", 300 * GB, 32 * GB, "PCIe Gen4", L4)),
          Map.entry(
              "nvidia-tesla-a100",
              device(312 * T, 0, "none", 1555 * GB, 300 * GB, "NVLink 3", A100)),
          Map.entry(
              "nvidia-a100-80gb",
              device(312 * T, 0, "none", 2039 * GB, 300 * GB, "NVLink 3", A100)),
          Map.entry(
              "nvidia-h100-80gb",
              device(989.5 * T, 1979 * T, "fp8", 3350 * GB, 450 * GB, "NVLink 4", H100)),
          Map.entry(
              "nvidia-h100-mega-80gb",
              device(989.5 * T, 1979 * T, "fp8", 3350 * GB, 450 * GB, "NVLink 4", H100)),
          Map.entry(
              "nvidia-h200-141gb",
              device(989.5 * T, 1979 * T, "fp8", 4800 * GB, 450 * GB, "NVLink 4", H200)),
          Map.entry(
              "nvidia-b200",
              withFp4(
                  device(2250 * T, 4500 * T, "fp8", 8000 * GB, 900 * GB, "NVLink 5", B200),
                  9000 * T)),
          Map.entry(
              "nvidia-gb200",
              withFp4(
                  device(2500 * T, 5000 * T, "fp8", 8000 * GB, 900 * GB, "NVLink 5", GB200),
                  10000 * T)),
          Map.entry(
              "nvidia-rtx-pro-6000",
              withFp4(
                  device(500 * T, 1000 * T, "fp8", 1597 * GB, 64 * GB, "PCIe Gen5", RTX_PRO),
                  2000 * T)),
          Map.entry(
              "tpu-v5-lite-podslice",
              device(197 * T, 393 * T, "int8", 819 * GB, 200 * GB, "ICI", V5E)),
          Map.entry(
              "tpu-v5p-slice", device(459 * T, 459 * T, "fp8", 2765 * GB, 600 * GB, "ICI", V5P)),
          Map.entry(
              "tpu-v6e-slice", device(918 * T, 1836 * T, "int8", 1638 * GB, 400 * GB, "ICI", V6E)),
          Map.entry("tpu7x", device(2307 * T, 4614 * T, "fp8", 7380 * GB, 600 * GB, "ICI", TPU7X)),
          Map.entry(
              "tpu-v4-podslice", device(275 * T, 275 * T, "int8", 1200 * GB, 150 * GB, "ICI", V4)));

  /** The same device with FP4 tensor cores of {@code fp4} dense FLOP/s (its source says so). */
  private static DevicePerformance withFp4(DevicePerformance d, double fp4) {
    return d.toBuilder().peakFp4Flops(fp4).build();
  }

  /** Returns the speeds of an accelerator, or {@code null} when the catalog has none. */
  static @Nullable DevicePerformance forLabel(String label) {
    return BY_LABEL.get(label);
  }

  private static DevicePerformance device(
      double bf16,
      double eightBit,
      String format,
      double memory,
      double link,
      String linkName,
      Source source) {
    return DevicePerformance.builder()
        .peakBf16Flops(bf16)
        .peak8BitFlops(eightBit)
        .eightBitFormat(format)
        .memoryBandwidth(memory)
        .interconnectBandwidth(link)
        .interconnect(linkName)
        .source(source)
        .build();
  }
}
