package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.nodepool.AcceleratorNodePool;
import io.github.gkeinference.core.cluster.ClusterSpec;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import java.util.List;

/**
 * The platform the other samples run on: a GKE Standard cluster configured for inference, a
 * ComputeClass for each accelerator shape the samples use, and autoscaled node pools for them.
 *
 * <p>Use it as the starting point for your own cluster. It renders the GKE {@code Cluster} request
 * (written as JSON, with its node pools inside) and the ComputeClasses (YAML). The accelerator
 * limits of node auto-provisioning are derived from the accelerators listed here, so a new
 * accelerator cannot be forgotten there.
 */
public final class Platform {
  /** The sample's name on the command line. */
  public static final String NAME = "platform";

  static final String PROJECT = "my-project";
  static final String REGION = "us-central1";

  /**
   * The accelerator shapes the other samples use, one ComputeClass each, named after its shape
   * ({@code gpu-l4-x1}, {@code tpu-v6e-2x4}, ...).
   */
  private static final List<AcceleratorComputeClass> CLASSES =
      List.of(
          AcceleratorComputeClass.builder().accelerator("nvidia-l4").devices(1).build(),
          AcceleratorComputeClass.builder().accelerator("nvidia-h100-80gb").devices(4).build(),
          AcceleratorComputeClass.builder().accelerator("nvidia-h100-80gb").devices(8).build(),
          AcceleratorComputeClass.builder()
              .accelerator("tpu-v6e-slice")
              .tpuTopology("2x4")
              .devices(8)
              .build(),
          AcceleratorComputeClass.builder()
              .accelerator("tpu-v5-lite-podslice")
              .tpuTopology("2x4")
              .devices(8)
              .build());

  private Platform() {}

  /**
   * Renders the sample.
   *
   * @param options {@code --accelerator} limits the platform to one of its accelerator labels
   * @return the cluster request and the ComputeClasses
   * @throws io.github.gkeinference.core.validate.SdkValidationException when {@code --accelerator}
   *     names none of the platform's accelerators (a cluster without accelerator pools is no
   *     inference platform)
   */
  public static RenderedSet render(SampleOptions options) {
    List<AcceleratorComputeClass> classes =
        CLASSES.stream()
            .filter(c -> options.accelerator().map(c.accelerator()::equals).orElse(true))
            .toList();
    io.github.gkeinference.core.validate.Violations v =
        io.github.gkeinference.core.validate.Violations.root();
    v.require(
        !classes.isEmpty(),
        "accelerator",
        options.accelerator().orElse(""),
        "is not one of the platform's accelerators "
            + CLASSES.stream().map(AcceleratorComputeClass::accelerator).distinct().toList());
    v.throwIfErrors();
    ClusterSpec.Builder cluster =
        ClusterSpec.builder()
            .from(ClusterSpec.inferenceDefaults(PROJECT, REGION))
            .name("inference")
            .acceleratorLimits(java.util.Map.of());
    RenderedSet.Builder set = RenderedSet.builder();
    for (AcceleratorComputeClass c : classes) {
      // 64 devices of each type at most: a budget guard for node auto-provisioning.
      cluster.putAcceleratorLimit(c.accelerator(), 64L);
      cluster.addNodePool(
          // the class's shape, copied by the SDK rather than field by field
          AcceleratorNodePool.builder()
              .from(c)
              .name(c.name())
              .autoscaling(a -> a.maxNodes(4))
              .build()
              .nodePool());
      set.add(c.computeClass());
    }
    return set.addAll(cluster.build().render()).build();
  }

  /**
   * Prints the ComputeClasses as YAML.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.print(ManifestYaml.toYaml(render(SampleOptions.defaults())));
  }
}
