package io.github.gkeinference.accelerators.catalog;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The catalog's data. Every fact carries a {@link Source}: the GKE or Cloud TPU documentation page
 * or the upstream file (repository, path and version) the fact was confirmed in. Facts that were
 * not re-checked against such a source are {@link Confidence#UNCONFIRMED}.
 */
final class CatalogData {
  private static final long GB = 1_000_000_000L;
  private static final long GIB = 1L << 30;

  // Sources, named once.
  private static final Source HOWTO_GPUS =
      Source.verified(
          "GKE how-to/gpus, https://cloud.google.com/kubernetes-engine/docs/how-to/gpus");
  private static final Source XPK =
      Source.verified("AI-Hypercomputer/xpk src/xpk/core/system_characteristics.py");
  private static final Source REFARCH_CCC =
      Source.verified(
          "GoogleCloudPlatform/accelerated-platforms@9320f3b2"
              + " platforms/gke/base/core/custom_compute_class/templates/manifests");
  private static final Source MIG =
      Source.verified(
          "GoogleCloudPlatform/container-engine-accelerators partition_gpu/partition_gpu.go"
              + " @992db812");
  private static final Source PUBLIC_CODE_SHAPES =
      Source.secondary(
          "public code tables quoting Compute Engine accelerator-optimized machine shapes"
              + " (vCPU/GB), found with the search tool");
  private static final Source SHAPE_UNCONFIRMED =
      Source.unconfirmed("Compute Engine machine shapes from background knowledge; not re-checked");
  private static final Source TPU_LABELS =
      Source.verified(
          "AI-Hypercomputer/xpk src/xpk/core/system_characteristics.py; kubernetes-sigs/lws v0.10.0 pkg/utils/accelerators/tpu.go");

  private CatalogData() {}

  static List<AcceleratorType> all() {
    List<AcceleratorType> all = new ArrayList<>();
    all.add(
        gpu(
            "nvidia-tesla-t4",
            "NVIDIA T4",
            16 * GB,
            "16 GB GDDR6",
            Source.unconfirmed(
                "Compute Engine GPU machine types, https://cloud.google.com/compute/docs/gpus (not re-checked)"),
            null,
            List.of(
                // N1 machines take 1, 2 or 4 attached T4s; these are the shapes the SDK offers.
                shape("n1-standard-8", "nvidia-tesla-t4", 1, 8, 30, n1(), SHAPE_UNCONFIRMED),
                shape("n1-standard-16", "nvidia-tesla-t4", 2, 16, 60, n1(), SHAPE_UNCONFIRMED),
                shape("n1-standard-32", "nvidia-tesla-t4", 4, 32, 120, n1(), SHAPE_UNCONFIRMED)),
            List.of()));
    all.add(
        gpu(
            "nvidia-l4",
            "NVIDIA L4",
            24 * GB,
            "24 GB GDDR6",
            HOWTO_GPUS,
            null,
            List.of(
                shape("g2-standard-4", "nvidia-l4", 1, 4, 16, REFARCH_CCC, PUBLIC_CODE_SHAPES),
                shape("g2-standard-8", "nvidia-l4", 1, 8, 32, REFARCH_CCC, PUBLIC_CODE_SHAPES),
                shape("g2-standard-12", "nvidia-l4", 1, 12, 48, XPK, SHAPE_UNCONFIRMED),
                shape("g2-standard-16", "nvidia-l4", 1, 16, 64, REFARCH_CCC, PUBLIC_CODE_SHAPES),
                shape("g2-standard-24", "nvidia-l4", 2, 24, 96, XPK, SHAPE_UNCONFIRMED),
                shape("g2-standard-32", "nvidia-l4", 1, 32, 128, REFARCH_CCC, SHAPE_UNCONFIRMED),
                shape("g2-standard-48", "nvidia-l4", 4, 48, 192, XPK, SHAPE_UNCONFIRMED),
                shape("g2-standard-96", "nvidia-l4", 8, 96, 384, XPK, SHAPE_UNCONFIRMED)),
            List.of()));
    all.add(
        gpu(
            "nvidia-tesla-a100",
            "NVIDIA A100 40GB",
            40 * GB,
            "40 GB HBM2",
            MIG,
            null,
            List.of(
                shape("a2-highgpu-1g", "nvidia-tesla-a100", 1, 12, 85, XPK, PUBLIC_CODE_SHAPES),
                shape("a2-highgpu-2g", "nvidia-tesla-a100", 2, 24, 170, XPK, PUBLIC_CODE_SHAPES),
                shape("a2-highgpu-4g", "nvidia-tesla-a100", 4, 48, 340, XPK, PUBLIC_CODE_SHAPES),
                shape("a2-highgpu-8g", "nvidia-tesla-a100", 8, 96, 680, XPK, PUBLIC_CODE_SHAPES),
                shape(
                    "a2-megagpu-16g",
                    "nvidia-tesla-a100",
                    16,
                    96,
                    1360,
                    Source.unconfirmed(
                        "https://cloud.google.com/compute/docs/gpus (a2-megagpu-16g; not re-checked)"),
                    SHAPE_UNCONFIRMED)),
            List.of(
                new MigProfile("1g.5gb", 7),
                new MigProfile("2g.10gb", 3),
                new MigProfile("3g.20gb", 2),
                new MigProfile("4g.20gb", 1),
                new MigProfile("7g.40gb", 1))));
    Source a2Ultra =
        Source.unconfirmed(
            "https://cloud.google.com/compute/docs/gpus (A2 Ultra shapes; not re-checked)");
    all.add(
        gpu(
            "nvidia-a100-80gb",
            "NVIDIA A100 80GB",
            80 * GB,
            "80 GB HBM2e",
            MIG,
            null,
            List.of(
                shape(
                    "a2-ultragpu-1g",
                    "nvidia-a100-80gb",
                    1,
                    12,
                    170,
                    REFARCH_CCC,
                    PUBLIC_CODE_SHAPES),
                shape(
                    "a2-ultragpu-2g", "nvidia-a100-80gb", 2, 24, 340, a2Ultra, PUBLIC_CODE_SHAPES),
                shape(
                    "a2-ultragpu-4g", "nvidia-a100-80gb", 4, 48, 680, a2Ultra, PUBLIC_CODE_SHAPES),
                shape(
                    "a2-ultragpu-8g",
                    "nvidia-a100-80gb",
                    8,
                    96,
                    1360,
                    a2Ultra,
                    PUBLIC_CODE_SHAPES)),
            h100Mig(false)));
    String a3Small = "Spot, flex-start or reservations only (not re-checked)";
    all.add(
        gpu(
            "nvidia-h100-80gb",
            "NVIDIA H100 80GB (A3 High / Edge)",
            80 * GB,
            "80 GB HBM3",
            MIG,
            null,
            List.of(
                restricted(
                    shape(
                        "a3-highgpu-1g",
                        "nvidia-h100-80gb",
                        1,
                        26,
                        234,
                        REFARCH_CCC,
                        PUBLIC_CODE_SHAPES),
                    a3Small),
                restricted(
                    shape(
                        "a3-highgpu-2g",
                        "nvidia-h100-80gb",
                        2,
                        52,
                        468,
                        REFARCH_CCC,
                        PUBLIC_CODE_SHAPES),
                    a3Small),
                restricted(
                    shape(
                        "a3-highgpu-4g",
                        "nvidia-h100-80gb",
                        4,
                        104,
                        936,
                        REFARCH_CCC,
                        PUBLIC_CODE_SHAPES),
                    a3Small),
                shape("a3-highgpu-8g", "nvidia-h100-80gb", 8, 208, 1872, XPK, PUBLIC_CODE_SHAPES),
                shape(
                    "a3-edgegpu-8g",
                    "nvidia-h100-80gb",
                    8,
                    208,
                    1872,
                    Source.verified("GoogleCloudPlatform/gcsfuse cfg/optimize.go"),
                    SHAPE_UNCONFIRMED)),
            h100Mig(true)));
    all.add(
        gpu(
            "nvidia-h100-mega-80gb",
            "NVIDIA H100 80GB (A3 Mega, GPUDirect-TCPXO)",
            80 * GB,
            "80 GB HBM3",
            MIG,
            null,
            List.of(
                shape(
                    "a3-megagpu-8g",
                    "nvidia-h100-mega-80gb",
                    8,
                    208,
                    1872,
                    XPK,
                    SHAPE_UNCONFIRMED)),
            h100Mig(true)));
    all.add(
        gpu(
            "nvidia-h200-141gb",
            "NVIDIA H200 141GB (A3 Ultra)",
            141 * GB,
            "141 GB HBM3e",
            MIG,
            null,
            List.of(
                shape(
                    "a3-ultragpu-8g", "nvidia-h200-141gb", 8, 224, 2952, XPK, PUBLIC_CODE_SHAPES)),
            List.of(
                new MigProfile("1g.18gb", 7),
                new MigProfile("1g.35gb", 4),
                new MigProfile("2g.35gb", 3),
                new MigProfile("3g.71gb", 2),
                new MigProfile("4g.71gb", 1),
                new MigProfile("7g.141gb", 1))));
    all.add(
        gpu(
            "nvidia-b200",
            "NVIDIA B200 (A4)",
            180 * GB,
            "180 GB HBM3e",
            MIG,
            null,
            List.of(shape("a4-highgpu-8g", "nvidia-b200", 8, 224, 3968, XPK, SHAPE_UNCONFIRMED)),
            List.of(
                new MigProfile("1g.23gb", 7),
                new MigProfile("1g.45gb", 4),
                new MigProfile("2g.45gb", 3),
                new MigProfile("3g.90gb", 2),
                new MigProfile("4g.90gb", 1),
                new MigProfile("7g.180gb", 1))));
    all.add(
        gpu(
            "nvidia-gb200",
            "NVIDIA GB200 (A4X, Arm host)",
            186 * GB,
            "186 GB HBM3e",
            MIG,
            null,
            List.of(
                shape("a4x-highgpu-4g", "nvidia-gb200", 4, 140, 884, XPK, SHAPE_UNCONFIRMED),
                shape(
                    "a4x-highgpu-4g-nolssd", "nvidia-gb200", 4, 140, 884, XPK, SHAPE_UNCONFIRMED)),
            List.of(
                new MigProfile("1g.23gb", 7),
                new MigProfile("1g.47gb", 4),
                new MigProfile("2g.47gb", 3),
                new MigProfile("3g.93gb", 2),
                new MigProfile("4g.93gb", 1),
                new MigProfile("7g.186gb", 1))));
    Source g4Counts =
        Source.secondary(
            "https://cloud.google.com/kubernetes-engine/docs/how-to/gpus as quoted in public code (g4-standard-48/96/192 mapping)");
    Source g4Fractional =
        Source.verified(
            "GKE how-to/gpus fractional G4 list, https://cloud.google.com/kubernetes-engine/docs/how-to/gpus");
    String fractionalMin = "1.34.5-gke.1153000";
    all.add(
        gpu(
            "nvidia-rtx-pro-6000",
            "NVIDIA RTX PRO 6000 Blackwell Server Edition (G4)",
            96 * GB,
            "96 GB GDDR7",
            MIG,
            "1.34.0-gke.1662000",
            List.of(
                fractional("g4-standard-6", 0.125, 6, 22.5, g4Fractional, fractionalMin),
                fractional("g4-standard-12", 0.25, 12, 45, g4Fractional, fractionalMin),
                fractional("g4-standard-24", 0.5, 24, 90, g4Fractional, fractionalMin),
                shape(
                    "g4-standard-48",
                    "nvidia-rtx-pro-6000",
                    1,
                    48,
                    180,
                    g4Counts,
                    SHAPE_UNCONFIRMED),
                shape(
                    "g4-standard-96",
                    "nvidia-rtx-pro-6000",
                    2,
                    96,
                    360,
                    g4Counts,
                    SHAPE_UNCONFIRMED),
                shape(
                    "g4-standard-192",
                    "nvidia-rtx-pro-6000",
                    4,
                    192,
                    720,
                    g4Counts,
                    SHAPE_UNCONFIRMED),
                shape(
                    "g4-standard-384",
                    "nvidia-rtx-pro-6000",
                    8,
                    384,
                    1440,
                    HOWTO_GPUS,
                    SHAPE_UNCONFIRMED)),
            List.of(
                new MigProfile("1g.24gb", 4),
                new MigProfile("2g.48gb", 2),
                new MigProfile("4g.96gb", 1))));
    all.addAll(tpus());
    return List.copyOf(all);
  }

  private static List<AcceleratorType> tpus() {
    Source v5eDoc = Source.verified("Cloud TPU v5e, https://cloud.google.com/tpu/docs/v5e");
    Source v6eDoc =
        Source.verified(
            "Cloud TPU v6e, https://cloud.google.com/tpu/docs/v6e; AI-Hypercomputer/xpk src/xpk/core/system_characteristics.py");
    Source tpu7xDoc =
        Source.verified(
            "https://cloud.google.com/kubernetes-engine/docs/concepts/tpu-ironwood; AI-Hypercomputer/xpk src/xpk/core/system_characteristics.py");
    Source v5pDoc =
        Source.verified(
            "TPU7x comparison table, https://cloud.google.com/tpu/docs/tpu7x; AI-Hypercomputer/xpk src/xpk/core/system_characteristics.py");
    Source v4Doc =
        Source.verified(
            "AI-Hypercomputer/xpk src/xpk/core/system_characteristics.py; https://cloud.google.com/kubernetes-engine/docs/how-to/tpu-multislice");
    List<AcceleratorType> tpus = new ArrayList<>();
    tpus.add(
        tpu(
            "tpu-v5-lite-podslice",
            "TPU v5e",
            16 * GB,
            "16 GB HBM2",
            v5eDoc,
            null,
            List.of(
                shape("ct5lp-hightpu-1t", "tpu-v5-lite-podslice", 1, 24, 48, v5eDoc, v5eDoc),
                shape("ct5lp-hightpu-4t", "tpu-v5-lite-podslice", 4, 112, 192, v5eDoc, v5eDoc),
                shape(
                    "ct5lp-hightpu-8t",
                    "tpu-v5-lite-podslice",
                    8,
                    224,
                    384,
                    v5eDoc,
                    SHAPE_UNCONFIRMED)),
            topologies(
                v5eDoc,
                "ct5lp-hightpu-1t",
                1,
                List.of("1x1"),
                "ct5lp-hightpu-4t",
                4,
                List.of("2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16"),
                "ct5lp-hightpu-8t",
                8,
                List.of("2x4"))));
    tpus.add(
        tpu(
            "tpu-v5p-slice",
            "TPU v5p",
            95 * GIB,
            "95 GiB HBM2e",
            v5pDoc,
            null,
            List.of(
                shape("ct5p-hightpu-4t", "tpu-v5p-slice", 4, 208, 448, v5pDoc, SHAPE_UNCONFIRMED)),
            topologies(
                v5pDoc,
                "ct5p-hightpu-4t",
                4,
                List.of("2x2x1", "2x2x2", "2x2x4", "2x4x4", "4x4x4"))));
    tpus.add(
        tpu(
            "tpu-v6e-slice",
            "TPU v6e (Trillium)",
            32 * GB,
            "32 GB HBM",
            v6eDoc,
            null,
            List.of(
                shape("ct6e-standard-1t", "tpu-v6e-slice", 1, 44, 176, v6eDoc, SHAPE_UNCONFIRMED),
                shape("ct6e-standard-4t", "tpu-v6e-slice", 4, 180, 720, v6eDoc, SHAPE_UNCONFIRMED),
                shape(
                    "ct6e-standard-8t", "tpu-v6e-slice", 8, 180, 1440, v6eDoc, SHAPE_UNCONFIRMED)),
            topologies(
                v6eDoc,
                "ct6e-standard-1t",
                1,
                List.of("1x1"),
                "ct6e-standard-4t",
                4,
                List.of("2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16"),
                "ct6e-standard-8t",
                8,
                List.of("2x4"))));
    tpus.add(
        tpu(
            "tpu7x",
            "TPU7x (Ironwood)",
            192 * GIB,
            "192 GiB HBM3e",
            tpu7xDoc,
            "1.34.0-gke.2201000",
            List.of(
                shape("tpu7x-standard-1t", "tpu7x", 1, 56, 240, XPK, SHAPE_UNCONFIRMED),
                shape("tpu7x-standard-4t", "tpu7x", 4, 224, 960, tpu7xDoc, SHAPE_UNCONFIRMED)),
            topologies(
                tpu7xDoc,
                "tpu7x-standard-1t",
                1,
                List.of("1x1x1"),
                "tpu7x-standard-4t",
                4,
                List.of("2x2x1", "2x2x2", "2x2x4", "2x4x4", "4x4x4"))));
    Source v4Hbm = Source.verified("Cloud TPU v4 doc, cloud.google.com/tpu/docs/v4 (HBM2 32 GiB)");
    tpus.add(
        tpu(
            "tpu-v4-podslice",
            "TPU v4",
            32 * GIB,
            "32 GiB HBM2",
            v4Hbm,
            null,
            List.of(
                shape("ct4p-hightpu-4t", "tpu-v4-podslice", 4, 240, 407, v4Doc, SHAPE_UNCONFIRMED)),
            topologies(v4Doc, "ct4p-hightpu-4t", 4, List.of("2x2x1", "2x2x2", "2x2x4", "2x4x4"))));
    return tpus;
  }

  private static Source n1() {
    return Source.unconfirmed(
        "https://cloud.google.com/compute/docs/gpus (N1 + attached T4: 1, 2 or 4 GPUs; not re-checked)");
  }

  private static List<MigProfile> h100Mig(boolean h100) {
    List<MigProfile> profiles = new ArrayList<>();
    profiles.add(new MigProfile("1g.10gb", 7));
    if (h100) {
      profiles.add(new MigProfile("1g.20gb", 4));
    }
    profiles.add(new MigProfile("2g.20gb", 3));
    profiles.add(new MigProfile("3g.40gb", 2));
    profiles.add(new MigProfile("4g.40gb", 1));
    profiles.add(new MigProfile("7g.80gb", 1));
    return profiles;
  }

  private static AcceleratorType gpu(
      String label,
      String name,
      long memory,
      String memoryText,
      Source memorySource,
      @Nullable String minGke,
      List<MachineShape> shapes,
      List<MigProfile> mig) {
    return new AcceleratorType(
        label,
        name,
        DeviceKind.GPU,
        memory,
        memoryText,
        memorySource,
        HOWTO_GPUS,
        shapes,
        mig,
        List.of(),
        minGke,
        PerformanceData.forLabel(label));
  }

  private static AcceleratorType tpu(
      String label,
      String name,
      long memory,
      String memoryText,
      Source memorySource,
      @Nullable String minGke,
      List<MachineShape> shapes,
      List<TpuTopology> topologies) {
    return new AcceleratorType(
        label,
        name,
        DeviceKind.TPU,
        memory,
        memoryText,
        memorySource,
        TPU_LABELS,
        shapes,
        List.of(),
        topologies,
        minGke,
        PerformanceData.forLabel(label));
  }

  private static MachineShape shape(
      String type,
      String label,
      int devices,
      int vcpus,
      double memoryGb,
      Source count,
      Source shape) {
    return new MachineShape(type, label, devices, 1.0, vcpus, memoryGb, count, shape, null, null);
  }

  private static MachineShape restricted(MachineShape s, String restriction) {
    return new MachineShape(
        s.machineType(),
        s.acceleratorLabel(),
        s.devices(),
        1.0,
        s.vcpus(),
        s.memoryGb(),
        s.deviceSource(),
        s.shapeSource(),
        restriction,
        null);
  }

  private static MachineShape fractional(
      String type, double fraction, int vcpus, double memoryGb, Source source, String minGke) {
    return new MachineShape(
        type,
        "nvidia-rtx-pro-6000",
        1,
        fraction,
        vcpus,
        memoryGb,
        source,
        SHAPE_UNCONFIRMED,
        "Preview; count=1; no Autopilot, Ubuntu, MIG, MPS or time-sharing (GKE how-to/gpus)",
        minGke);
  }

  private static List<TpuTopology> topologies(Source source, Object... machineChipsTopologies) {
    List<TpuTopology> out = new ArrayList<>();
    for (int i = 0; i < machineChipsTopologies.length; i += 3) {
      String machine = (String) machineChipsTopologies[i];
      int chipsPerVm = (Integer) machineChipsTopologies[i + 1];
      @SuppressWarnings("unchecked")
      List<String> names = (List<String>) machineChipsTopologies[i + 2];
      for (String t : names) {
        out.add(new TpuTopology(t, machine, chipsPerVm, source));
      }
    }
    return out;
  }
}
