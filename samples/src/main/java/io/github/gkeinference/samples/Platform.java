package io.github.gkeinference.samples;

import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.accelerators.computeclass.AcceleratorComputeClass;
import io.github.gkeinference.accelerators.nodepool.AcceleratorNodePool;
import io.github.gkeinference.accelerators.preflight.AcceleratorDemand;
import io.github.gkeinference.accelerators.preflight.Feature;
import io.github.gkeinference.accelerators.preflight.PreflightRequest;
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
 * accelerator cannot be forgotten there, and its CPU and memory limits from those (plus room for
 * the system nodes), so that they are finite. The control plane's DNS endpoint admits traffic from
 * the VPC only.
 */
public final class Platform {
  /** The sample's name on the command line. */
  public static final String NAME = "platform";

  static final String PROJECT = "my-project";
  static final String REGION = "us-central1";

  /** The cluster's name. */
  static final String CLUSTER = "inference";

  /** Nodes each accelerator node pool may scale to. */
  static final int MAX_NODES = 4;

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

  /** Devices of each accelerator type at most: a budget guard for node auto-provisioning. */
  static final long ACCELERATOR_LIMIT = 64L;

  /**
   * Room in the NAP CPU and memory limits for the nodes that carry no accelerator: 8 nodes of the
   * system pool's {@code n4-standard-4} (4 vCPUs, 16 GB:
   * https://cloud.google.com/compute/docs/general-purpose-machines#n4_series). An SDK assumption,
   * not a GKE default: raise it for clusters with more CPU workloads.
   */
  static final int SYSTEM_NODES = 8;

  static final int SYSTEM_NODE_VCPUS = 4;
  static final int SYSTEM_NODE_MEMORY_GB = 16;

  /**
   * Node auto-provisioning's cluster-wide CPU and memory limits, derived from the accelerator
   * limits: as many of each accelerator's largest machines (per device) as its limit fills, plus
   * {@link #SYSTEM_NODES} system nodes. GKE counts every node of the cluster against these limits
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-provisioning#resource_limits),
   * so finite limits that still hold every accelerator node keep NAP bounded without blocking it.
   *
   * @param vcpus the vCPU limit
   * @param memoryGb the memory limit in GB
   */
  record NapLimits(long vcpus, long memoryGb) {
    static NapLimits of(List<AcceleratorComputeClass> classes, long devicesPerAccelerator) {
      java.util.Map<String, double[]> perDevice = new java.util.TreeMap<>();
      for (AcceleratorComputeClass c : classes) {
        var type = Accelerators.catalog().require(c.accelerator());
        List<io.github.gkeinference.accelerators.catalog.MachineShape> shapes =
            c.machineType()
                .flatMap(type::shape)
                .map(List::of)
                .orElseGet(() -> type.shapesWith(c.devices()));
        double[] most = perDevice.computeIfAbsent(c.accelerator(), k -> new double[2]);
        for (var shape : shapes) {
          most[0] = Math.max(most[0], (double) shape.vcpus() / shape.devices());
          most[1] = Math.max(most[1], shape.memoryGb() / shape.devices());
        }
      }
      double vcpus = (double) SYSTEM_NODES * SYSTEM_NODE_VCPUS;
      double memoryGb = (double) SYSTEM_NODES * SYSTEM_NODE_MEMORY_GB;
      for (double[] most : perDevice.values()) {
        vcpus += most[0] * devicesPerAccelerator;
        memoryGb += most[1] * devicesPerAccelerator;
      }
      return new NapLimits((long) Math.ceil(vcpus), (long) Math.ceil(memoryGb));
    }
  }

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
            .name(CLUSTER)
            // kubectl reaches the control plane from inside the VPC (its private endpoint in
            // masterIpv4CidrBlock) or through the DNS endpoint from the VPC only
            .dnsEndpoint(false)
            .acceleratorLimits(java.util.Map.of());
    NapLimits limits = NapLimits.of(classes, ACCELERATOR_LIMIT);
    cluster.napCpuLimit(limits.vcpus()).napMemoryGbLimit(limits.memoryGb());
    RenderedSet.Builder set = RenderedSet.builder();
    for (AcceleratorComputeClass c : classes) {
      cluster.putAcceleratorLimit(c.accelerator(), ACCELERATOR_LIMIT);
      cluster.addNodePool(
          // the class's shape, copied by the SDK rather than field by field
          AcceleratorNodePool.builder()
              .from(c)
              .name(c.name())
              .autoscaling(a -> a.maxNodes(MAX_NODES))
              .build()
              .nodePool());
      set.add(c.computeClass());
    }
    return set.addAll(cluster.build().render()).build();
  }

  /**
   * What to check before creating the platform or deploying onto it ({@code
   * io.github.gkeinference.accelerators.preflight.Preflight}): each ComputeClass's fallback chain
   * needs quota for one node and should have it for {@link #MAX_NODES}, in {@link #REGION}; the
   * APIs and GKE version floors of what the other samples run here (GCS FUSE volumes with native
   * sidecars, Managed Prometheus, the inference gateway).
   *
   * @param clusterVersion the cluster's GKE version; empty to read it from GKE by the cluster's
   *     name
   * @return the request
   */
  public static PreflightRequest preflight(java.util.Optional<String> clusterVersion) {
    PreflightRequest.Builder request =
        PreflightRequest.builder()
            .project(PROJECT)
            .region(REGION)
            .clusterName(CLUSTER)
            .clusterVersion(clusterVersion)
            .addFeatures(
                Feature.GCS_FUSE,
                Feature.NATIVE_SIDECARS,
                Feature.MONITORING,
                Feature.INFERENCE_GATEWAY);
    for (AcceleratorComputeClass c : CLASSES) {
      // one pod fills one node of the class's shape
      request.addDemand(AcceleratorDemand.of(c.name(), c, 1, MAX_NODES));
    }
    return request.build();
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
