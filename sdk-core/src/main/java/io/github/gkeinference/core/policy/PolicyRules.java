package io.github.gkeinference.core.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.Violations;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ready policy rules. Each reads the typed {@link ServedWorkload} view of a bundle and reports
 * one violation per refused field, at a path {@code Kind/namespace/name.field}.
 */
public final class PolicyRules {
  /**
   * The GatewayClasses GKE offers that expose a Gateway outside the VPC (GKE docs, "GatewayClass
   * capabilities",
   * https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities).
   */
  static final Set<String> EXTERNAL_GATEWAY_CLASSES =
      Set.of(
          "gke-l7-global-external-managed",
          "gke-l7-regional-external-managed",
          "gke-l7-gxlb",
          "gke-l7-global-external-managed-mc",
          "gke-l7-regional-external-managed-mc",
          "gke-l7-gxlb-mc");

  private PolicyRules() {}

  /**
   * Refuses a workload that may run on an accelerator not in the list (node selectors and the
   * priorities of its ComputeClass).
   *
   * @param accelerators the allowed accelerator types, for example {@code nvidia-l4}
   * @return the rule {@code allowedAccelerators}
   */
  public static Policy allowedAccelerators(Collection<String> accelerators) {
    Set<String> allowed = Set.copyOf(accelerators);
    return Policy.of(
        "allowedAccelerators",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            w.accelerators()
                .forEach(
                    (field, type) ->
                        v.at(w.path())
                            .require(
                                allowed.contains(type),
                                field,
                                type,
                                "is not an allowed accelerator; allowed: " + sorted(allowed)));
          }
        });
  }

  /**
   * Refuses a workload pinned to a zone or region outside the allowed regions.
   *
   * @param regions the allowed regions, for example {@code us-central1}
   * @return the rule {@code allowedRegions}
   */
  public static Policy allowedRegions(Collection<String> regions) {
    Set<String> allowed = Set.copyOf(regions);
    return Policy.of(
        "allowedRegions",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            w.locations()
                .forEach(
                    (field, location) ->
                        v.at(w.path())
                            .require(
                                allowed.contains(region(location)),
                                field,
                                location,
                                "is not in an allowed region; allowed: " + sorted(allowed)));
          }
        });
  }

  /**
   * Refuses a workload whose replica (all pods of a group) requests more accelerator devices.
   *
   * @param max the most devices per replica
   * @return the rule {@code maxDevicesPerReplica}
   */
  public static Policy maxDevicesPerReplica(int max) {
    return Policy.of(
        "maxDevicesPerReplica",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            int devices = w.devicesPerReplica();
            v.at(w.path())
                .require(
                    devices <= max,
                    "devicesPerReplica",
                    devices,
                    "is more accelerator devices per replica than the policy allows (" + max + ")");
          }
        });
  }

  /**
   * Refuses a workload whose replicas together (at their most, {@link
   * ServedWorkload#maxReplicas()}) request more accelerator devices.
   *
   * @param max the most devices per service
   * @return the rule {@code maxDevicesPerService}
   */
  public static Policy maxDevicesPerService(int max) {
    return Policy.of(
        "maxDevicesPerService",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            long devices = (long) w.devicesPerReplica() * w.maxReplicas();
            v.at(w.path())
                .require(
                    devices <= max,
                    "devicesPerService",
                    devices,
                    "is more accelerator devices at the most replicas ("
                        + w.maxReplicas()
                        + ") than the policy allows per service ("
                        + max
                        + ")");
          }
        });
  }

  /**
   * Refuses a workload that declares, or may be scaled to, more replicas.
   *
   * @param max the most replicas
   * @return the rule {@code maxReplicas}
   */
  public static Policy maxReplicas(int max) {
    return Policy.of(
        "maxReplicas",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            if (w.replicas() > max) {
              v.at(w.path())
                  .error("spec.replicas", w.replicas(), "must be at most " + max + " replicas");
            } else if (w.maxReplicas() > max) {
              v.at(w.path())
                  .error(
                      "maxReplicas",
                      w.maxReplicas(),
                      "a HorizontalPodAutoscaler may scale it past the policy's "
                          + max
                          + " replicas");
            }
          }
        });
  }

  /**
   * Refuses a workload object without each of the labels.
   *
   * @param labels the label keys every workload carries, for example {@code cost-center}
   * @return the rule {@code requiredLabels}
   */
  public static Policy requiredLabels(Collection<String> labels) {
    List<String> required = List.copyOf(labels);
    return Policy.of(
        "requiredLabels",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            for (String label : required) {
              String value = w.labels().getOrDefault(label, "");
              v.at(w.path())
                  .require(
                      !value.isBlank(),
                      "metadata.labels[" + label + "]",
                      null,
                      "is required by the policy");
            }
          }
        });
  }

  /**
   * Refuses a container image outside the allowed registries. An entry is a registry ({@code
   * us-docker.pkg.dev}) or a registry and path prefix ({@code us-docker.pkg.dev/my-project}); an
   * image's registry is made explicit first ({@link ContainerImages#repository(String)}), so {@code
   * docker.io} allows {@code vllm/vllm-openai}.
   *
   * @param registries the allowed registries or prefixes
   * @return the rule {@code allowedRegistries}
   */
  public static Policy allowedRegistries(Collection<String> registries) {
    List<String> allowed = List.copyOf(registries);
    return Policy.of(
        "allowedRegistries",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            w.images()
                .forEach(
                    (field, image) -> {
                      String repository = ContainerImages.repository(image).orElse("");
                      boolean ok =
                          allowed.stream()
                              .anyMatch(a -> repository.startsWith(a.endsWith("/") ? a : a + "/"));
                      v.at(w.path())
                          .require(
                              ok,
                              field,
                              image,
                              "is not from an allowed registry; allowed: " + allowed);
                    });
          }
        });
  }

  /**
   * Refuses Spot VMs (a node selector or a ComputeClass priority) unless allowed.
   *
   * @param allowed whether Spot VMs are allowed
   * @return the rule {@code spotAllowed}
   */
  public static Policy spotAllowed(boolean allowed) {
    return placement("spotAllowed", allowed, ServedWorkload::spot, "Spot VMs");
  }

  /**
   * Refuses flex-start VMs (a node selector or a ComputeClass priority) unless allowed.
   *
   * @param allowed whether flex-start VMs are allowed
   * @return the rule {@code flexStartAllowed}
   */
  public static Policy flexStartAllowed(boolean allowed) {
    return placement("flexStartAllowed", allowed, ServedWorkload::flexStart, "flex-start VMs");
  }

  /** One rule over a kind of placement: every field that declares it is refused unless allowed. */
  private static Policy placement(
      String name,
      boolean allowed,
      java.util.function.Function<ServedWorkload, List<String>> fields,
      String what) {
    return Policy.of(
        name,
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            for (String field : allowed ? List.<String>of() : fields.apply(w)) {
              v.at(w.path()).error(field, true, what + " are not allowed by the policy");
            }
          }
        });
  }

  /**
   * Refuses a Gateway of an external GatewayClass ({@link #EXTERNAL_GATEWAY_CLASSES}) unless
   * allowed.
   *
   * @param allowed whether external Gateways are allowed
   * @return the rule {@code externalGatewaysAllowed}
   */
  public static Policy externalGatewaysAllowed(boolean allowed) {
    return Policy.of(
        "externalGatewaysAllowed",
        (bundle, v) -> {
          if (allowed) {
            return;
          }
          for (HasMetadata o : bundle.kubernetesObjects()) {
            if (!o.getKind().equals("Gateway")) {
              continue;
            }
            String className =
                ManifestYaml.tree(o).path("spec").path("gatewayClassName").asString("");
            String ns =
                o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
            v.at("Gateway/" + ns + "/" + o.getMetadata().getName())
                .require(
                    !EXTERNAL_GATEWAY_CLASSES.contains(className),
                    "spec.gatewayClassName",
                    className,
                    "is an external GatewayClass; the policy allows internal Gateways only (for"
                        + " example gke-l7-rilb)");
          }
        });
  }

  /**
   * Refuses a workload whose estimated cost at its most replicas is above a budget: devices per
   * replica times replicas times the list price of its accelerator (the most expensive it may run
   * on; Spot prices when every placement it has is Spot). An estimate: list prices, no discounts,
   * no CPU-only pods; a workload whose price is unknown gets a warning.
   *
   * @param usd the most US dollars per hour per workload
   * @param price the price of one device-hour
   * @return the rule {@code maxHourlyUsd}
   */
  public static Policy maxHourlyUsd(double usd, HourlyPrice price) {
    return Policy.of(
        "maxHourlyUsd",
        (bundle, v) -> {
          for (ServedWorkload w : ServedWorkload.all(bundle)) {
            int devices = w.devicesPerReplica();
            if (devices == 0 || w.accelerators().isEmpty()) {
              continue;
            }
            boolean spotOnly = !w.spot().isEmpty() && w.spot().size() >= w.accelerators().size();
            double worst = 0;
            @Nullable String unknown = null;
            for (String type : Set.copyOf(w.accelerators().values())) {
              OptionalDouble p = price.usdPerDeviceHour(type, spotOnly);
              if (p.isEmpty()) {
                unknown = type;
              } else {
                worst = Math.max(worst, p.getAsDouble());
              }
            }
            Violations at = w.path().isEmpty() ? v : v.at(w.path());
            if (unknown != null) {
              at.warning(
                  "estimatedUsdPerHour", unknown, "has no known price; the budget is not checked");
              continue;
            }
            double cost = worst * devices * w.maxReplicas();
            at.require(
                cost <= usd,
                "estimatedUsdPerHour",
                String.format(Locale.ROOT, "%.2f", cost),
                String.format(
                    Locale.ROOT,
                    "is above the policy's budget of %.2f USD/hour (estimate: %d devices x %d"
                        + " replicas at list price)",
                    usd,
                    devices,
                    w.maxReplicas()));
          }
        });
  }

  /** Returns the region of a zone ({@code us-central1-a}) or a region itself. */
  static String region(String location) {
    String[] parts = location.split("-");
    return parts.length >= 3 ? location.substring(0, location.lastIndexOf('-')) : location;
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
