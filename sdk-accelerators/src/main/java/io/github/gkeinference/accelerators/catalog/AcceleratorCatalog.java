package io.github.gkeinference.accelerators.catalog;

import io.github.gkeinference.core.validate.Violations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The GKE accelerators the SDK knows: every GPU and TPU type with its label value, device memory,
 * machine types, MIG profiles and TPU topologies, each fact with its {@link Source}.
 *
 * <pre>{@code
 * AcceleratorCatalog catalog = AcceleratorCatalog.standard();
 * AcceleratorType l4 = catalog.require("nvidia-l4");
 * List<MachineShape> twoL4 = catalog.machineTypesWith("nvidia-l4", 2);   // g2-standard-24
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AcceleratorCatalog {
  private static final AcceleratorCatalog STANDARD = new AcceleratorCatalog(CatalogData.all());

  private final Map<String, AcceleratorType> byLabel = new LinkedHashMap<>();
  private final Map<String, MachineShape> byMachineType = new LinkedHashMap<>();
  private final Map<String, QuotaMetrics> quotas = new LinkedHashMap<>();

  private AcceleratorCatalog(List<AcceleratorType> types) {
    for (AcceleratorType t : types) {
      byLabel.put(t.label(), t);
      for (MachineShape s : t.machineShapes()) {
        byMachineType.put(s.machineType(), s);
      }
    }
    for (QuotaMetrics q : QuotaData.all()) {
      quotas.put(q.label(), q);
    }
  }

  /** Returns the catalog shipped with the SDK. */
  public static AcceleratorCatalog standard() {
    return STANDARD;
  }

  /** Returns every accelerator, GPUs first, in catalog order. */
  public List<AcceleratorType> all() {
    return List.copyOf(byLabel.values());
  }

  /** Returns the GPUs. */
  public List<AcceleratorType> gpus() {
    return byLabel.values().stream().filter(AcceleratorType::isGpu).toList();
  }

  /** Returns the TPUs. */
  public List<AcceleratorType> tpus() {
    return byLabel.values().stream().filter(AcceleratorType::isTpu).toList();
  }

  /**
   * Returns the accelerator with this label value.
   *
   * @param label for example {@code nvidia-h100-80gb} or {@code tpu-v6e-slice}
   * @return the accelerator, or empty when the label is unknown
   */
  public Optional<AcceleratorType> byLabel(String label) {
    return Optional.ofNullable(byLabel.get(label));
  }

  /**
   * Returns the Compute Engine quota metrics an accelerator consumes, with their source.
   *
   * @param label the accelerator label
   * @return the metrics, or empty when no source read for the catalog names them
   */
  public Optional<QuotaMetrics> quotaMetrics(String label) {
    return Optional.ofNullable(quotas.get(label));
  }

  /**
   * Returns the accelerator with this label value, or throws a validation exception naming the
   * known labels.
   *
   * @param label the label value
   * @return the accelerator
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the label is unknown
   */
  public AcceleratorType require(String label) {
    AcceleratorType type = byLabel.get(label);
    if (type == null) {
      Violations v = Violations.root();
      checkLabel(v, "accelerator", label);
      v.throwIfErrors();
    }
    return type;
  }

  /**
   * Records a violation at {@code field} when {@code label} is not a known accelerator label.
   *
   * @param v the collector
   * @param field the field path relative to {@code v}
   * @param label the label value to check
   * @return whether the label is known
   */
  public boolean checkLabel(Violations v, String field, String label) {
    boolean known = byLabel.containsKey(label);
    v.require(
        known,
        field,
        label,
        "must be a GKE accelerator label; known: " + String.join(", ", byLabel.keySet()));
    return known;
  }

  /**
   * Returns the machine shape of a machine type that carries an accelerator.
   *
   * @param machineType for example {@code a3-highgpu-2g}
   * @return the shape, or empty when the machine type carries no catalog accelerator
   */
  public Optional<MachineShape> byMachineType(String machineType) {
    return Optional.ofNullable(byMachineType.get(machineType));
  }

  /**
   * Returns the machine types that give exactly {@code devices} whole devices of an accelerator,
   * smallest VM first ("which machine types give me N of this GPU").
   *
   * @param label the accelerator label
   * @param devices the device count
   * @return the shapes; empty when the label is unknown or no machine type has that count
   */
  public List<MachineShape> machineTypesWith(String label, int devices) {
    return byLabel(label).map(t -> t.shapesWith(devices)).orElse(List.of());
  }

  /**
   * Resolves an accelerator shape: the one resolver placements, ComputeClasses, node pools and fit
   * plans share. For a GPU the machine type is the given one, which must carry the accelerator and
   * at least {@code devices} of it, or else the smallest machine type with exactly {@code devices};
   * the topology must be empty. For a TPU the topology is required and must exist on the given
   * machine type, or on one with {@code devices} chips per VM, and {@code devices} must be the
   * chips of one VM (every Pod of a slice requests all chips of its VM, "Plan TPUs in GKE",
   * https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus).
   *
   * @param shape the shape
   * @param v the collector; violations are at {@code accelerator}, {@code devices}, {@code
   *     machineType} and {@code tpuTopology}
   * @return the resolved shape, or empty when {@code v} got an error
   */
  public Optional<ResolvedShape> resolve(AcceleratorShape shape, Violations v) {
    if (!checkLabel(v, "accelerator", shape.accelerator())) {
      return Optional.empty();
    }
    if (shape.devices() < 1) {
      v.error("devices", shape.devices(), "must be at least 1");
      return Optional.empty();
    }
    AcceleratorType type = byLabel.get(shape.accelerator());
    if (type.isTpu()) {
      return resolveTpu(type, shape, v);
    }
    boolean gpuShape = shape.tpuTopology().isEmpty();
    v.require(
        gpuShape,
        "tpuTopology",
        shape.tpuTopology().orElse(""),
        "must be empty for a GPU: topologies are for TPUs only");
    Optional<ResolvedShape> resolved = resolveGpu(type, shape, v);
    return gpuShape ? resolved : Optional.empty();
  }

  /**
   * Resolves an accelerator shape, or throws.
   *
   * @param shape the shape
   * @return the resolved shape
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  public ResolvedShape resolve(AcceleratorShape shape) {
    Violations v = Violations.root();
    Optional<ResolvedShape> resolved = resolve(shape, v);
    v.throwIfErrors();
    return resolved.orElseThrow();
  }

  private Optional<ResolvedShape> resolveGpu(
      AcceleratorType type, AcceleratorShape shape, Violations v) {
    int devices = shape.devices();
    if (shape.machineType().isPresent()) {
      String mt = shape.machineType().get();
      Optional<MachineShape> machine = type.shape(mt);
      if (machine.isEmpty()) {
        v.error(
            "machineType",
            mt,
            "must be a machine type that carries "
                + type.label()
                + byMachineType(mt)
                    .map(o -> " (it carries " + o.acceleratorLabel() + ")")
                    .orElse("")
                + known(type));
        return Optional.empty();
      }
      boolean fits = devices <= machine.get().devices();
      v.require(
          fits,
          "devices",
          devices,
          "must be at most the " + machine.get().devices() + " devices of " + mt);
      return fits
          ? Optional.of(new ResolvedShape(type, machine.get(), devices, null))
          : Optional.empty();
    }
    List<MachineShape> exact = type.shapesWith(devices);
    if (exact.isEmpty()) {
      v.error(
          "devices",
          devices,
          "no machine type carries exactly " + devices + " " + type.label() + known(type));
      return Optional.empty();
    }
    return Optional.of(new ResolvedShape(type, exact.get(0), devices, null));
  }

  private static Optional<ResolvedShape> resolveTpu(
      AcceleratorType type, AcceleratorShape shape, Violations v) {
    if (shape.tpuTopology().isEmpty()) {
      v.error("tpuTopology", null, "is required for a TPU; valid: " + topologies(type));
      return Optional.empty();
    }
    String topology = shape.tpuTopology().get();
    Optional<TpuTopology> slice =
        type.topologies(topology).stream()
            .filter(t -> shape.machineType().map(t.machineType()::equals).orElse(true))
            .filter(t -> shape.machineType().isPresent() || t.chipsPerVm() == shape.devices())
            .findFirst();
    if (slice.isEmpty()) {
      v.error(
          "tpuTopology",
          topology,
          "is not a "
              + type.label()
              + " topology"
              + shape
                  .machineType()
                  .map(m -> " on " + m)
                  .orElse(" with " + shape.devices() + " chips per VM")
              + "; valid: "
              + topologies(type));
      return Optional.empty();
    }
    TpuTopology t = slice.get();
    boolean whole = shape.devices() == t.chipsPerVm();
    v.require(
        whole,
        "devices",
        shape.devices(),
        "must be "
            + t.chipsPerVm()
            + ", the chips of one "
            + t.machineType()
            + " VM: every Pod of a TPU slice requests all chips of its VM");
    MachineShape machine = type.shape(t.machineType()).orElseThrow();
    return whole
        ? Optional.of(new ResolvedShape(type, machine, shape.devices(), t))
        : Optional.empty();
  }

  private static String known(AcceleratorType type) {
    return "; machine types: "
        + String.join(
            ", ",
            type.machineShapes().stream()
                .map(s -> s.machineType() + " (" + s.devices() + ")")
                .toList());
  }

  private static String topologies(AcceleratorType type) {
    return String.join(
        ", ",
        type.topologies().stream().map(t -> t.topology() + " on " + t.machineType()).toList());
  }

  /**
   * Checks a TPU slice: the topology exists for the accelerator and machine type, and {@code chips}
   * is the chip count of one VM.
   *
   * @param v the collector
   * @param topologyField the path of the topology, relative to {@code v}
   * @param chipsField the path of the chip count, relative to {@code v}
   * @param type the TPU accelerator
   * @param machineType the TPU VM machine type
   * @param topology the topology
   * @param chips the chip count per VM
   * @return the slice, or empty when invalid
   */
  public Optional<TpuTopology> checkTopology(
      Violations v,
      String topologyField,
      String chipsField,
      AcceleratorType type,
      String machineType,
      String topology,
      int chips) {
    Optional<TpuTopology> slice = type.topology(topology, machineType);
    if (slice.isEmpty()) {
      v.error(
          topologyField,
          topology,
          "is not a "
              + type.label()
              + " topology on "
              + machineType
              + "; valid: "
              + topologies(type));
      return slice;
    }
    v.require(
        slice.get().chipsPerVm() == chips,
        chipsField,
        chips,
        "must be " + slice.get().chipsPerVm() + ", the chips of one " + machineType + " VM");
    return slice;
  }

  /**
   * Returns every fact that is not confirmed by a source, as {@code "label machineType: what"}
   * lines; the catalog's own audit list.
   */
  public List<String> unconfirmedFacts() {
    return byLabel.values().stream()
        .flatMap(
            t ->
                java.util.stream.Stream.concat(
                    t.memorySource().confirmed()
                        ? java.util.stream.Stream.<String>empty()
                        : java.util.stream.Stream.of(t.label() + ": memory " + t.memoryText()),
                    t.machineShapes().stream()
                        .flatMap(
                            s ->
                                java.util.stream.Stream.of(
                                        s.deviceSource().confirmed()
                                            ? null
                                            : t.label() + " " + s.machineType() + ": device count",
                                        s.shapeSource().confirmed()
                                            ? null
                                            : t.label() + " " + s.machineType() + ": vCPU/memory")
                                    .filter(java.util.Objects::nonNull))))
        .collect(Collectors.toList());
  }
}
