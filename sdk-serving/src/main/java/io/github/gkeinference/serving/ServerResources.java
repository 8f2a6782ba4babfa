package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.github.gkeinference.accelerators.scheduling.NodeAllocatable;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.validate.Violations;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * The server container's CPU and memory: the pod's share of its node ({@link PodScheduling}), or
 * the requests and limits a spec states, checked against what one node of the machine type leaves
 * after GKE's system pods ({@link NodeAllocatable}) and the pod's sidecars.
 *
 * @param cpuRequestMillis the CPU request in millicores
 * @param memoryRequestBytes the memory request in bytes
 * @param requests the requests to render, devices included
 * @param limits the limits to render, devices included
 */
record ServerResources(
    long cpuRequestMillis,
    long memoryRequestBytes,
    Map<String, Quantity> requests,
    Map<String, Quantity> limits) {

  /** A CPU quantity: whole or decimal cores, or millicores. */
  private static final Pattern CPU = Pattern.compile("[0-9]+(\\.[0-9]{1,3})?|[0-9]+m");

  /** A memory quantity: bytes, or a binary or decimal suffix. */
  private static final Pattern MEMORY = Pattern.compile("[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?");

  /**
   * Returns the container's resources: the scheduling's, with the stated requests and limits in
   * place of the computed CPU and memory.
   *
   * @param scheduling the pod's scheduling
   * @param cpuRequest the stated CPU request, if any
   * @param memoryRequest the stated memory request, if any
   * @param cpuLimit the stated CPU limit, if any
   * @param memoryLimit the stated memory limit, if any
   * @return the resources
   */
  static ServerResources of(
      PodScheduling scheduling,
      Optional<String> cpuRequest,
      Optional<String> memoryRequest,
      Optional<String> cpuLimit,
      Optional<String> memoryLimit) {
    ResourceRequirements computed = scheduling.resources();
    Map<String, Quantity> requests = new LinkedHashMap<>(computed.getRequests());
    Map<String, Quantity> limits = new LinkedHashMap<>(computed.getLimits());
    cpuRequest.ifPresent(c -> requests.put("cpu", new Quantity(c)));
    memoryRequest.ifPresent(
        m -> {
          requests.put("memory", new Quantity(m));
          limits.put("memory", new Quantity(m));
        });
    cpuLimit.ifPresent(c -> limits.put("cpu", new Quantity(c)));
    memoryLimit.ifPresent(m -> limits.put("memory", new Quantity(m)));
    return new ServerResources(
        cpuRequest.map(ServerResources::millis).orElse(scheduling.cpuMillis()),
        memoryRequest.map(ServerResources::bytes).orElse(scheduling.memoryBytes()),
        Map.copyOf(requests),
        Map.copyOf(limits));
  }

  /** Returns a fresh fabric8 copy, requests and limits in a stable order. */
  ResourceRequirements toFabric8() {
    return new ResourceRequirementsBuilder()
        .withRequests(ordered(requests))
        .withLimits(ordered(limits))
        .build();
  }

  private static Map<String, Quantity> ordered(Map<String, Quantity> m) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    // devices first, then cpu and memory, as PodScheduling renders them
    m.keySet().stream()
        .filter(k -> !k.equals("cpu") && !k.equals("memory"))
        .sorted()
        .forEach(k -> out.put(k, new Quantity(m.get(k).toString())));
    for (String k : new String[] {"cpu", "memory"}) {
      if (m.containsKey(k)) {
        out.put(k, new Quantity(m.get(k).toString()));
      }
    }
    return out;
  }

  /**
   * Checks a server's stated requests and limits: quantities, limits at least the requests, and
   * requests that one node of the machine type can give after system pods and sidecars.
   *
   * @param v the collector, at the server
   * @param server the server
   */
  static void check(Violations v, VllmServer server) {
    boolean ok = quantity(v, "cpuRequest", server.cpuRequest(), CPU);
    ok &= quantity(v, "memoryRequest", server.memoryRequest(), MEMORY);
    ok &= quantity(v, "cpuLimit", server.cpuLimit(), CPU);
    ok &= quantity(v, "memoryLimit", server.memoryLimit(), MEMORY);
    if (!ok) {
      return;
    }
    atLeast(v, "cpuLimit", server.cpuLimit(), server.cpuRequest(), ServerResources::millis);
    atLeast(v, "memoryLimit", server.memoryLimit(), server.memoryRequest(), ServerResources::bytes);
    if (server.cpuRequest().isEmpty() && server.memoryRequest().isEmpty()) {
      return;
    }
    VllmRendering.NodeRoom r = new VllmRendering(server).nodeRoom();
    server
        .cpuRequest()
        .ifPresent(
            c ->
                v.require(
                    millis(c) <= r.cpuMillis(),
                    "cpuRequest",
                    c,
                    "must be at most the "
                        + r.cpuMillis()
                        + "m one "
                        + r.machineType()
                        + " node leaves after GKE's system pods and the pod's sidecars"));
    server
        .memoryRequest()
        .ifPresent(
            m ->
                v.require(
                    bytes(m) <= r.memoryBytes(),
                    "memoryRequest",
                    m,
                    "must be at most the "
                        + (r.memoryBytes() >> 20)
                        + "Mi one "
                        + r.machineType()
                        + " node leaves after GKE's system pods and the pod's sidecars"));
  }

  private static boolean quantity(
      Violations v, String field, Optional<String> value, Pattern pattern) {
    if (value.isEmpty()) {
      return true;
    }
    boolean ok = pattern.matcher(value.get()).matches();
    v.require(
        ok,
        field,
        value.get(),
        pattern == CPU
            ? "must be a CPU quantity such as 8, 7.5 or 7500m"
            : "must be a memory quantity such as 64Gi or 512Mi");
    return ok;
  }

  private static void atLeast(
      Violations v,
      String field,
      Optional<String> limit,
      Optional<String> request,
      ToLongFunction<String> amount) {
    if (limit.isPresent() && request.isPresent()) {
      v.require(
          amount.applyAsLong(limit.get()) >= amount.applyAsLong(request.get()),
          field,
          limit.get(),
          "must be at least the request, " + request.get());
    }
  }

  /** Returns a CPU quantity in millicores. */
  static long millis(String cpu) {
    return Quantity.getAmountInBytes(new Quantity(cpu))
        .multiply(BigDecimal.valueOf(1000))
        .longValue();
  }

  /** Returns a memory quantity in bytes. */
  static long bytes(String memory) {
    return Quantity.getAmountInBytes(new Quantity(memory)).longValue();
  }
}
