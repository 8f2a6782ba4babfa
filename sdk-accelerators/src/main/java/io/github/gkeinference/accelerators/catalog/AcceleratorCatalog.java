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

  private AcceleratorCatalog(List<AcceleratorType> types) {
    for (AcceleratorType t : types) {
      byLabel.put(t.label(), t);
      for (MachineShape s : t.machineShapes()) {
        byMachineType.put(s.machineType(), s);
      }
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
   * Checks that a machine type carries exactly {@code devices} devices of an accelerator: the
   * consistency rule of ComputeClass priorities and node pools (GKE requires the accelerator count
   * to equal the machine type's GPU count,
   * https://cloud.google.com/kubernetes-engine/docs/how-to/gpus).
   *
   * @param v the collector
   * @param machineTypeField the path of the machine type, relative to {@code v}
   * @param devicesField the path of the device count, relative to {@code v}
   * @param type the accelerator
   * @param machineType the machine type
   * @param devices the device count
   * @return whether the machine type is consistent
   */
  public boolean checkMachine(
      Violations v,
      String machineTypeField,
      String devicesField,
      AcceleratorType type,
      String machineType,
      int devices) {
    Optional<MachineShape> shape = byMachineType(machineType);
    if (shape.isEmpty() || !shape.get().acceleratorLabel().equals(type.label())) {
      v.error(
          machineTypeField,
          machineType,
          "must be a machine type that carries "
              + type.label()
              + shape.map(s -> " (it carries " + s.acceleratorLabel() + ")").orElse("")
              + "; known: "
              + String.join(
                  ", ", type.machineShapes().stream().map(MachineShape::machineType).toList()));
      return false;
    }
    boolean ok = shape.get().devices() == devices;
    v.require(
        ok,
        devicesField,
        devices,
        "must be " + shape.get().devices() + ", the " + type.label() + " count of " + machineType);
    return ok;
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
              + String.join(
                  ", ",
                  type.topologies().stream()
                      .map(t -> t.topology() + " on " + t.machineType())
                      .toList()));
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
