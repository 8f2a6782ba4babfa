package io.github.gkeinference.core.cluster;

import com.google.container.v1.NodePool;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.validate.Cidrs;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The cross-field rules of {@link ClusterSpec}. */
final class ClusterRules {
  /**
   * GKE cluster names: a lower-case letter, then lower-case letters, digits or '-', not ending in
   * '-', at most 40 characters (the Cloud console's rule, quoted in gitlab-org/gitlab issue 22655
   * and Azure/telescope PR 989).
   */
  static final Pattern CLUSTER_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,38}[a-z0-9])?");

  /** Regions such as {@code us-east4} or {@code europe-west1}. */
  static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");

  /** Zones: a region, '-' and a letter, for example {@code us-east4-a}. */
  static final Pattern ZONE = Pattern.compile("[a-z]+-[a-z]+[0-9]+-[a-z]");

  /** GKE accelerator types: NVIDIA GPUs and TPU slice types. */
  static final Pattern ACCELERATOR = Pattern.compile("(nvidia|tpu)-[a-z0-9]+(-[a-z0-9]+)*");

  /** Node pool names follow the cluster name rule. */
  static final Pattern POOL_NAME = CLUSTER_NAME;

  /**
   * The geographies that Compute Engine region names start with ({@code us-east4}, {@code
   * europe-west1}, {@code me-central1}); source: "Regions and zones",
   * https://cloud.google.com/compute/docs/regions-zones. A name outside them is no region.
   */
  static final Set<String> GEOGRAPHIES =
      Set.of("africa", "asia", "australia", "europe", "me", "northamerica", "southamerica", "us");

  /**
   * The Compute Engine regions listed on "Regions and zones" when this list was written
   * (https://cloud.google.com/compute/docs/regions-zones#available). Google adds regions: a
   * well-formed name of a known geography that is not listed is a WARNING, not an error.
   */
  static final Set<String> KNOWN_REGIONS =
      Set.of(
          "africa-south1",
          "asia-east1",
          "asia-east2",
          "asia-northeast1",
          "asia-northeast2",
          "asia-northeast3",
          "asia-south1",
          "asia-south2",
          "asia-southeast1",
          "asia-southeast2",
          "australia-southeast1",
          "australia-southeast2",
          "europe-central2",
          "europe-north1",
          "europe-north2",
          "europe-southwest1",
          "europe-west1",
          "europe-west2",
          "europe-west3",
          "europe-west4",
          "europe-west6",
          "europe-west8",
          "europe-west9",
          "europe-west10",
          "europe-west12",
          "me-central1",
          "me-central2",
          "me-west1",
          "northamerica-northeast1",
          "northamerica-northeast2",
          "northamerica-south1",
          "southamerica-east1",
          "southamerica-west1",
          "us-central1",
          "us-east1",
          "us-east4",
          "us-east5",
          "us-south1",
          "us-west1",
          "us-west2",
          "us-west3",
          "us-west4");

  private ClusterRules() {}

  /**
   * Checks that a well-formed region name is a Compute Engine region (see {@link #GEOGRAPHIES}).
   */
  private static void checkRegion(String region, Violations v) {
    if (!REGION.matcher(region).matches()) {
      return; // the form is already reported
    }
    String geography = region.substring(0, region.indexOf('-'));
    if (!GEOGRAPHIES.contains(geography)) {
      v.error(
          "location",
          region,
          "is not a Google Cloud region: region names start with one of "
              + new java.util.TreeSet<>(GEOGRAPHIES)
              + ", such as us-east4 or europe-west4");
    } else if (!KNOWN_REGIONS.contains(region)) {
      v.warning(
          "location",
          region,
          "is not in the SDK's list of Compute Engine regions"
              + " (https://cloud.google.com/compute/docs/regions-zones); check the name");
    }
  }

  static void check(ClusterSpec s, Violations v) {
    v.require(
        GcpNames.PROJECT_ID.matcher(s.project()).matches(),
        "project",
        s.project(),
        "must be a project id: 6 to 30 lower-case letters, digits or '-', starting with a letter");
    v.require(
        CLUSTER_NAME.matcher(s.name()).matches(),
        "name",
        s.name(),
        "must start with a lower-case letter, hold only lower-case letters, digits and '-', not end"
            + " with '-', and have at most 40 characters");
    String region = s.location();
    if (s.zonal()) {
      v.require(
          ZONE.matcher(s.location()).matches(),
          "location",
          s.location(),
          "must be a zone such as us-east4-a for a zonal cluster");
      region =
          s.location().length() > 2 ? s.location().substring(0, s.location().length() - 2) : "";
    } else {
      v.require(
          REGION.matcher(s.location()).matches(),
          "location",
          s.location(),
          ZONE.matcher(s.location()).matches()
              ? "is a zone, but a regional cluster needs a region such as us-east4; set zonal(true)"
                  + " for a zonal cluster"
              : "must be a region such as us-east4");
    }
    checkRegion(region, v);
    for (int i = 0; i < s.nodeLocations().size(); i++) {
      String zone = s.nodeLocations().get(i);
      v.require(
          ZONE.matcher(zone).matches() && zone.startsWith(region + "-"),
          "nodeLocations[" + i + "]",
          zone,
          "must be a zone of " + region);
    }
    if (s.autopilot()) {
      v.require(
          s.nodePools().isEmpty(),
          "nodePools",
          s.nodePools().size() + " node pools",
          "must be empty for Autopilot, which manages nodes itself");
      v.require(
          !s.nodeAutoProvisioning(),
          "nodeAutoProvisioning",
          true,
          "cannot be set for Autopilot, which provisions nodes itself");
      v.require(
          s.napCpuLimit().isEmpty(), "napCpuLimit", s.napCpuLimit(), "cannot be set for Autopilot");
      v.require(
          s.napMemoryGbLimit().isEmpty(),
          "napMemoryGbLimit",
          s.napMemoryGbLimit(),
          "cannot be set for Autopilot");
      v.require(
          s.acceleratorLimits().isEmpty(),
          "acceleratorLimits",
          s.acceleratorLimits().keySet(),
          "cannot be set for Autopilot, which provisions accelerators without NAP limits");
      v.require(
          !s.systemNodePool(), "systemNodePool", true, "cannot be set for Autopilot clusters");
    } else if (!s.nodeAutoProvisioning()) {
      v.require(
          s.napCpuLimit().isEmpty()
              && s.napMemoryGbLimit().isEmpty()
              && s.acceleratorLimits().isEmpty(),
          "nodeAutoProvisioning",
          false,
          "must be on when NAP limits (napCpuLimit, napMemoryGbLimit, acceleratorLimits) are set");
    }
    s.napCpuLimit().ifPresent(l -> v.require(l >= 1, "napCpuLimit", l, "must be at least 1"));
    s.napMemoryGbLimit()
        .ifPresent(l -> v.require(l >= 1, "napMemoryGbLimit", l, "must be at least 1"));
    for (Map.Entry<String, Long> e : s.acceleratorLimits().entrySet()) {
      String path = "acceleratorLimits[" + e.getKey() + "]";
      v.require(
          ACCELERATOR.matcher(e.getKey()).matches(),
          path,
          e.getKey(),
          "must be a GKE accelerator type such as nvidia-l4, nvidia-h200-141gb or tpu-v6e-slice");
      v.require(e.getValue() >= 1, path, e.getValue(), "must be at least 1");
    }
    v.require(
        !s.gcsFuseCsiDriver() || s.workloadIdentity(),
        "workloadIdentity",
        false,
        "must be on when gcsFuseCsiDriver is on: the driver authenticates to Cloud Storage with"
            + " Workload Identity");
    v.require(
        !s.gatewayApi() || s.httpLoadBalancing(),
        "httpLoadBalancing",
        false,
        "must be on when gatewayApi is on: GKE gateways are served by HTTP load balancing");
    v.require(
        !s.privateEndpoint() || s.privateNodes(),
        "privateEndpoint",
        true,
        "needs privateNodes: a private control plane requires private nodes");
    v.require(
        !s.privateEndpoint() || s.dnsEndpoint() || s.masterIpv4CidrBlock().isPresent(),
        "dnsEndpoint",
        false,
        "must be on when privateEndpoint is on and no masterIpv4CidrBlock is set, or nothing"
            + " outside the VPC can reach the control plane");
    v.require(
        !s.automaticApplicationMonitoring() || s.managedPrometheus(),
        "automaticApplicationMonitoring",
        true,
        "needs managedPrometheus");
    s.masterIpv4CidrBlock()
        .ifPresent(
            c -> {
              if (Cidrs.check(v, "masterIpv4CidrBlock", c, false)) {
                v.require(
                    c.endsWith("/28"),
                    "masterIpv4CidrBlock",
                    c,
                    "must be an IPv4 /28 range such as " + ClusterSpec.REFERENCE_MASTER_CIDR);
              }
            });
    Set<String> poolNames = new HashSet<>();
    if (s.systemNodePool()) {
      poolNames.add(ClusterRendering.SYSTEM_POOL);
    }
    for (int i = 0; i < s.nodePools().size(); i++) {
      NodePool pool = s.nodePools().get(i);
      Violations p = v.at("nodePools", i);
      p.require(
          POOL_NAME.matcher(pool.getName()).matches(),
          "name",
          pool.getName(),
          "must start with a lower-case letter, hold only lower-case letters, digits and '-', and"
              + " have at most 40 characters");
      p.require(
          poolNames.add(pool.getName()),
          "name",
          pool.getName(),
          "must be unique among the node pools (the system pool is named '"
              + ClusterRendering.SYSTEM_POOL
              + "')");
      pool.getConfig()
          .getLabelsMap()
          .forEach(
              (key, value) -> {
                Violations labels = p.at("config.labels[" + key + "]");
                labels.require(
                    KubernetesNames.isLabelKey(key),
                    "",
                    key,
                    "is not a Kubernetes label key: an optional DNS subdomain prefix and '/', then"
                        + " at most 63 letters, digits, '-', '_' or '.', starting and ending with"
                        + " a letter or digit (no spaces)");
                labels.require(
                    KubernetesNames.isLabelValue(value),
                    "",
                    value,
                    "is not a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.',"
                        + " starting and ending with a letter or digit");
              });
      for (int z = 0; z < pool.getLocationsCount(); z++) {
        String zone = pool.getLocations(z);
        p.require(
            zone.startsWith(region + "-"),
            "locations[" + z + "]",
            zone,
            "must be a zone of " + region);
      }
    }
  }
}
