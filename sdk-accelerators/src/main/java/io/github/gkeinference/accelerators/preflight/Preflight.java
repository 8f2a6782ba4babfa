package io.github.gkeinference.accelerators.preflight;

import com.google.api.cloudquotas.v1.CloudQuotasClient;
import com.google.api.cloudquotas.v1.DimensionsInfo;
import com.google.api.cloudquotas.v1.QuotaInfo;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.serviceusage.v1.BatchGetServicesRequest;
import com.google.api.serviceusage.v1.Service;
import com.google.api.serviceusage.v1.ServiceUsageClient;
import com.google.api.serviceusage.v1.State;
import com.google.cloud.compute.v1.AcceleratorTypesClient;
import com.google.cloud.compute.v1.AcceleratorTypesScopedList;
import com.google.cloud.compute.v1.Quota;
import com.google.cloud.compute.v1.Region;
import com.google.cloud.compute.v1.RegionsClient;
import com.google.cloud.container.v1.ClusterManagerClient;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.catalog.AcceleratorType;
import io.github.gkeinference.accelerators.catalog.QuotaMetrics;
import io.github.gkeinference.core.cluster.GkeVersion;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Checks a project and cluster before deploying: (a) regional GPU/TPU quota, on-demand and
 * preemptible, (b) the APIs the deployment needs are enabled, (c) the cluster's GKE version against
 * each feature's floor, (d) the accelerator is offered in the region's zones and (e) a ComputeClass
 * fallback chain has at least one priority quota allows. Each finding is a {@link PreflightCheck}
 * row with its fix.
 *
 * <p>Talks to Google through the real clients the caller passes in: Compute Engine ({@link
 * RegionsClient#get} for quotas, {@link AcceleratorTypesClient#aggregatedList} for zones), Cloud
 * Quotas ({@link CloudQuotasClient#listQuotaInfos} for TPU quota limits of {@code
 * compute.googleapis.com}, which GKE TPU node pools consume), Service Usage ({@link
 * ServiceUsageClient#batchGetServices}) and GKE ({@link ClusterManagerClient#getCluster}, only when
 * the request names a cluster instead of its version). A client left out, a missing credential or a
 * permission error does not stop the run: every row that needed that call says which IAM permission
 * it lacked and the other checks go on. Needs {@code google-cloud-compute}, {@code
 * google-cloud-cloudquotas}, {@code google-cloud-service-usage} and {@code google-cloud-container}
 * (optional dependencies of this module; versions from {@code gke-inference-bom}).
 *
 * <pre>{@code
 * try (RegionsClient regions = RegionsClient.create();
 *     AcceleratorTypesClient types = AcceleratorTypesClient.create();
 *     CloudQuotasClient quotas = CloudQuotasClient.create();
 *     ServiceUsageClient usage = ServiceUsageClient.create()) {
 *   PreflightReport report =
 *       Preflight.builder().regions(regions).acceleratorTypes(types).cloudQuotas(quotas)
 *           .serviceUsage(usage).build().run(request);
 *   if (report.failed()) { ... }
 * }
 * }</pre>
 *
 * <p>Does not close the clients it is given. Thread-safe when the clients are.
 */
public final class Preflight {
  /** The permission {@code regions.get} needs. */
  public static final String REGIONS_GET = "compute.regions.get";

  /** The permission {@code acceleratorTypes.aggregatedList} needs. */
  public static final String ACCELERATOR_TYPES_LIST = "compute.acceleratorTypes.list";

  /** The permission the Cloud Quotas API's {@code ListQuotaInfos} needs. */
  public static final String QUOTAS_GET = "cloudquotas.quotas.get";

  /** The permission Service Usage's {@code BatchGetServices} needs. */
  public static final String SERVICES_GET = "serviceusage.services.get";

  /** The permission GKE's {@code GetCluster} needs. */
  public static final String CLUSTERS_GET = "container.clusters.get";

  /** The page on asking for more quota, in every quota fix. */
  static final String QUOTA_INCREASE = "https://cloud.google.com/docs/quotas/help/request_increase";

  private final @Nullable RegionsClient regions;
  private final @Nullable AcceleratorTypesClient acceleratorTypes;
  private final @Nullable CloudQuotasClient cloudQuotas;
  private final @Nullable ServiceUsageClient serviceUsage;
  private final @Nullable ClusterManagerClient clusterManager;
  private final String noClient;
  private final AcceleratorCatalog catalog;

  private Preflight(Builder b) {
    regions = b.regions;
    acceleratorTypes = b.acceleratorTypes;
    cloudQuotas = b.cloudQuotas;
    serviceUsage = b.serviceUsage;
    clusterManager = b.clusterManager;
    noClient = b.noClient;
    catalog = b.catalog;
  }

  /** Returns a new builder with no clients. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every check.
   *
   * @param request what to check
   * @return the rows: api, gke-version, accelerator-offered, quota, fallback-chain
   */
  public PreflightReport run(PreflightRequest request) {
    Run run = new Run(request);
    List<PreflightCheck> rows = new ArrayList<>();
    rows.addAll(run.apis());
    rows.addAll(run.versions());
    rows.addAll(run.offered());
    rows.addAll(run.quotas());
    return new PreflightReport(request.project(), request.region(), rows);
  }

  /** What a call returned, or why it could not. */
  private record Lookup<T>(@Nullable T value, @Nullable String permission, String problem) {
    static <T> Lookup<T> of(T value) {
      return new Lookup<>(value, null, "");
    }

    PreflightCheck row(String check, String subject, String what) {
      String detail = "not checked: " + problem;
      String fix =
          permission == null
              ? "check the " + what + " by hand"
              : "grant the caller a role with "
                  + permission
                  + ", or check the "
                  + what
                  + " by hand";
      return new PreflightCheck(check, subject, CheckStatus.WARN, detail, fix, permission);
    }
  }

  /** One run's state: each Google call is made at most once. */
  private final class Run {
    private final PreflightRequest request;
    private final Set<Feature> features;
    private @Nullable Lookup<Region> region;
    private @Nullable Lookup<List<QuotaInfo>> quotaInfos;

    Run(PreflightRequest request) {
      this.request = request;
      Set<Feature> f = EnumSet.noneOf(Feature.class);
      f.addAll(request.features());
      for (AcceleratorDemand d : request.demands()) {
        if (catalog.require(d.accelerator()).isTpu()) {
          f.add(Feature.TPU);
        }
      }
      this.features = f;
    }

    private <T> Lookup<T> call(@Nullable Object client, String permission, Supplier<T> call) {
      if (client == null) {
        return new Lookup<>(null, permission, noClient + " (needs " + permission + ")");
      }
      try {
        return Lookup.of(call.get());
      } catch (ApiException e) {
        StatusCode.Code code = e.getStatusCode().getCode();
        if (code == StatusCode.Code.PERMISSION_DENIED || code == StatusCode.Code.UNAUTHENTICATED) {
          return new Lookup<>(
              null, permission, "the caller lacks " + permission + " (" + code + ")");
        }
        return new Lookup<>(null, null, "the call failed: " + code + " " + firstLine(e));
      } catch (RuntimeException e) {
        // No credentials surface here as IllegalStateException/UncheckedIOException from gax.
        return new Lookup<>(
            null,
            permission,
            "no usable credentials (" + firstLine(e) + "; needs " + permission + ")");
      }
    }

    // (b) APIs
    List<PreflightCheck> apis() {
      Set<String> names = new LinkedHashSet<>(Feature.BASE_SERVICES);
      features.forEach(f -> names.addAll(f.services()));
      String parent = "projects/" + request.project();
      Lookup<List<Service>> services =
          call(
              serviceUsage,
              SERVICES_GET,
              () ->
                  serviceUsage
                      .batchGetServices(
                          BatchGetServicesRequest.newBuilder()
                              .setParent(parent)
                              .addAllNames(
                                  names.stream().map(n -> parent + "/services/" + n).toList())
                              .build())
                      .getServicesList());
      List<PreflightCheck> rows = new ArrayList<>();
      for (String name : names) {
        if (services.value() == null) {
          rows.add(services.row("api", name, "API's state"));
          continue;
        }
        boolean enabled =
            services.value().stream()
                .anyMatch(
                    s ->
                        s.getName().endsWith("/services/" + name) && s.getState() == State.ENABLED);
        rows.add(
            enabled
                ? PreflightCheck.pass("api", name, "enabled")
                : PreflightCheck.fail(
                    "api",
                    name,
                    "not enabled in " + request.project(),
                    "gcloud services enable " + name + " --project " + request.project()));
      }
      return rows;
    }

    // (c) GKE version floors
    List<PreflightCheck> versions() {
      List<Floor> floors = new ArrayList<>();
      for (Feature f : features) {
        for (Feature.VersionFloor v : f.floors()) {
          floors.add(new Floor(f.name(), v.what(), v.version(), v.below(), v.source()));
        }
      }
      Set<String> seen = new LinkedHashSet<>();
      for (AcceleratorDemand d : request.demands()) {
        AcceleratorType type = catalog.require(d.accelerator());
        if (seen.add(type.label())) {
          type.minimumGkeVersion()
              .ifPresent(
                  v ->
                      floors.add(
                          new Floor(
                              type.label(),
                              type.displayName() + " nodes",
                              v,
                              CheckStatus.FAIL,
                              "the SDK's accelerator catalog ("
                                  + type.labelSource().citation()
                                  + ")")));
        }
      }
      if (floors.isEmpty()) {
        return List.of();
      }
      Lookup<String> version = clusterVersion();
      List<PreflightCheck> rows = new ArrayList<>();
      for (Floor f : floors) {
        String subject = f.subject() + " >= " + f.version();
        if (version.value() == null) {
          rows.add(version.row("gke-version", subject, "cluster's GKE version"));
        } else if (GkeVersion.atLeast(version.value(), f.version())) {
          rows.add(
              PreflightCheck.pass(
                  "gke-version", subject, "cluster runs " + version.value() + "; " + f.what()));
        } else {
          String upgrade =
              "upgrade the control plane to "
                  + f.version()
                  + " or later (gcloud container clusters upgrade "
                  + request.clusterName().orElse("CLUSTER")
                  + " --master --cluster-version "
                  + f.version()
                  + " --location "
                  + request.clusterLocation()
                  + "); floor from "
                  + f.source();
          rows.add(
              new PreflightCheck(
                  "gke-version",
                  subject,
                  f.below(),
                  "cluster runs " + version.value() + ", older than " + f.what() + " needs",
                  upgrade,
                  null));
        }
      }
      return rows;
    }

    private Lookup<String> clusterVersion() {
      if (request.clusterVersion().isPresent()) {
        return Lookup.of(request.clusterVersion().get());
      }
      if (request.clusterName().isEmpty()) {
        return new Lookup<>(null, null, "neither the cluster's version nor its name was given");
      }
      String name =
          "projects/"
              + request.project()
              + "/locations/"
              + request.clusterLocation()
              + "/clusters/"
              + request.clusterName().get();
      return call(
          clusterManager,
          CLUSTERS_GET,
          () -> clusterManager.getCluster(name).getCurrentMasterVersion());
    }

    // (d) accelerator offered in the region's zones
    List<PreflightCheck> offered() {
      Set<String> gpus = new LinkedHashSet<>();
      List<PreflightCheck> rows = new ArrayList<>();
      for (AcceleratorDemand d : request.demands()) {
        AcceleratorType type = catalog.require(d.accelerator());
        if (type.isTpu()) {
          if (gpus.add(type.label())) {
            rows.add(
                PreflightCheck.warn(
                    "accelerator-offered",
                    type.label(),
                    "not checked: TPU slices are machine types, which Compute Engine's"
                        + " acceleratorTypes does not list",
                    "check https://cloud.google.com/tpu/docs/regions-zones for "
                        + request.region()));
          }
          continue;
        }
        gpus.add(type.label());
      }
      List<String> wanted = gpus.stream().filter(l -> catalog.require(l).isGpu()).toList();
      if (wanted.isEmpty()) {
        return rows;
      }
      Lookup<Map<String, Set<String>>> zones =
          call(
              acceleratorTypes,
              ACCELERATOR_TYPES_LIST,
              () -> {
                Map<String, Set<String>> byType = new LinkedHashMap<>();
                for (Map.Entry<String, AcceleratorTypesScopedList> e :
                    acceleratorTypes.aggregatedList(request.project()).iterateAll()) {
                  String zone = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
                  if (!zone.startsWith(request.region() + "-")) {
                    continue;
                  }
                  for (com.google.cloud.compute.v1.AcceleratorType t :
                      e.getValue().getAcceleratorTypesList()) {
                    byType.computeIfAbsent(t.getName(), k -> new TreeSet<>()).add(zone);
                  }
                }
                return byType;
              });
      for (String label : wanted) {
        if (zones.value() == null) {
          rows.add(zones.row("accelerator-offered", label, "region's accelerator types"));
          continue;
        }
        Set<String> in = zones.value().getOrDefault(label, Set.of());
        rows.add(
            in.isEmpty()
                ? PreflightCheck.fail(
                    "accelerator-offered",
                    label,
                    "not offered in any zone of " + request.region(),
                    "choose a region that offers it: gcloud compute accelerator-types list"
                        + " --filter=name="
                        + label)
                : PreflightCheck.pass(
                    "accelerator-offered", label, "offered in " + String.join(", ", in)));
      }
      return rows;
    }

    // (a) quota and (e) the fallback chain
    List<PreflightCheck> quotas() {
      List<PreflightCheck> rows = new ArrayList<>();
      for (AcceleratorDemand d : request.demands()) {
        rows.addAll(quota(d));
      }
      return rows;
    }

    private List<PreflightCheck> quota(AcceleratorDemand d) {
      AcceleratorType type = catalog.require(d.accelerator());
      int needMin = d.devices() * Math.max(1, d.minReplicas());
      int needMax = d.devices() * d.maxReplicas();
      Optional<QuotaMetrics> metrics = catalog.quotaMetrics(type.label());
      List<PreflightCheck> rows = new ArrayList<>();
      // Per distinct metric of the chain: the available amount, or null when unknown.
      Map<String, @Nullable Double> available = new LinkedHashMap<>();
      Set<String> metricsInChain = new LinkedHashSet<>();
      for (Provisioning p : d.priorities()) {
        if (p != Provisioning.RESERVATION && metrics.isPresent()) {
          metricsInChain.add(
              p.preemptibleQuota() ? metrics.get().preemptible() : metrics.get().onDemand());
        }
      }
      String who = d.name() + " (" + type.label() + ")";
      if (metrics.isEmpty()) {
        rows.add(
            PreflightCheck.warn(
                "quota",
                who,
                "not checked: the catalog has no sourced Compute Engine quota metric for "
                    + type.label(),
                "check the region's quota for "
                    + type.displayName()
                    + " in the console's Quotas page"));
      }
      for (String metric : metricsInChain) {
        Amount a = type.isTpu() ? tpuAmount(metric) : gpuAmount(metric);
        String subject = metric + " for " + d.name();
        if (a.problem != null) {
          rows.add(a.problem.row("quota", subject, "quota"));
          available.put(metric, null);
          continue;
        }
        double free = a.limit - a.usage;
        available.put(metric, free);
        String detail =
            String.format(
                java.util.Locale.ROOT,
                "%s in %s: limit %s, usage %s, %s free; %d needed for %d replica(s) of %d, %d for"
                    + " %d%s",
                metric,
                request.region(),
                number(a.limit),
                number(a.usage),
                number(free),
                needMin,
                Math.max(1, d.minReplicas()),
                d.devices(),
                needMax,
                d.maxReplicas(),
                a.note);
        String increase =
            "request "
                + metric
                + " >= "
                + number(a.usage + needMax)
                + " in "
                + request.region()
                + " ("
                + QUOTA_INCREASE
                + ")";
        if (free >= needMax) {
          rows.add(PreflightCheck.pass("quota", subject, detail));
        } else if (free >= needMin) {
          rows.add(
              PreflightCheck.warn(
                  "quota",
                  subject,
                  detail + ": the autoscaler cannot reach " + d.maxReplicas() + " replicas",
                  increase));
        } else if (metricsInChain.size() > 1 || d.priorities().contains(Provisioning.RESERVATION)) {
          rows.add(
              PreflightCheck.warn(
                  "quota", subject, detail + ": this priority cannot start the service", increase));
        } else {
          boolean hasSpot = d.priorities().stream().anyMatch(Provisioning::preemptibleQuota);
          rows.add(
              PreflightCheck.fail(
                  "quota",
                  subject,
                  detail,
                  increase
                      + (hasSpot
                          ? ""
                          : ", or add a Spot priority to the ComputeClass if "
                              + metrics.get().preemptible()
                              + " has room")));
        }
      }
      if (d.computeClass().isPresent() || d.priorities().size() > 1) {
        rows.add(chain(d, metrics, available, needMin));
      }
      return rows;
    }

    private PreflightCheck chain(
        AcceleratorDemand d,
        Optional<QuotaMetrics> metrics,
        Map<String, @Nullable Double> available,
        int needMin) {
      String subject = d.computeClass().orElse(d.name());
      List<String> ok = new ArrayList<>();
      boolean unknown = metrics.isEmpty();
      for (int i = 0; i < d.priorities().size(); i++) {
        Provisioning p = d.priorities().get(i);
        if (p == Provisioning.RESERVATION || metrics.isEmpty()) {
          continue;
        }
        String metric =
            p.preemptibleQuota() ? metrics.get().preemptible() : metrics.get().onDemand();
        Double free = available.get(metric);
        if (free == null) {
          unknown = true;
        } else if (free >= needMin) {
          ok.add("priority " + (i + 1) + " (" + p + ", " + metric + ")");
        }
      }
      String order = d.priorities().toString();
      if (!ok.isEmpty()) {
        return PreflightCheck.pass(
            "fallback-chain", subject, order + ": quota allows " + String.join(", ", ok));
      }
      if (d.priorities().contains(Provisioning.RESERVATION)) {
        return PreflightCheck.warn(
            "fallback-chain",
            subject,
            order
                + ": only the reservation priority may have capacity; preflight does not read"
                + " reservations",
            "check the reservation's free capacity: gcloud compute reservations list --project "
                + request.project());
      }
      if (unknown) {
        return PreflightCheck.warn(
            "fallback-chain",
            subject,
            order + ": quota unknown for some priorities (see the quota rows)",
            "fix the quota rows that were not checked, then rerun");
      }
      return PreflightCheck.fail(
          "fallback-chain",
          subject,
          order + ": no priority has quota for " + needMin + " device(s) in " + request.region(),
          "request quota for one of the chain's metrics ("
              + QUOTA_INCREASE
              + ") or add a priority whose quota has room");
    }

    private Lookup<Region> region() {
      if (region == null) {
        region = call(regions, REGIONS_GET, () -> regions.get(request.project(), request.region()));
      }
      return region;
    }

    private Amount gpuAmount(String metric) {
      Lookup<Region> r = region();
      if (r.value() == null) {
        return Amount.problem(r);
      }
      for (Quota q : r.value().getQuotasList()) {
        if (q.getMetric().equals(metric)) {
          return new Amount(q.getLimit(), q.getUsage(), "", null);
        }
      }
      return new Amount(0, 0, " (the region lists no such quota: 0)", null);
    }

    private Amount tpuAmount(String metric) {
      if (quotaInfos == null) {
        String parent =
            "projects/"
                + request.project()
                + "/locations/global/services/"
                + QuotaMetrics.COMPUTE_SERVICE;
        quotaInfos =
            call(
                cloudQuotas,
                QUOTAS_GET,
                () -> {
                  List<QuotaInfo> all = new ArrayList<>();
                  cloudQuotas.listQuotaInfos(parent).iterateAll().forEach(all::add);
                  return all;
                });
      }
      Lookup<List<QuotaInfo>> infos = quotaInfos;
      if (infos.value() == null) {
        return Amount.problem(infos);
      }
      String wanted = QuotaMetrics.cloudQuotasMetric(metric);
      Double limit = null;
      for (QuotaInfo info : infos.value()) {
        if (!info.getMetric().equals(wanted)) {
          continue;
        }
        for (DimensionsInfo di : info.getDimensionsInfosList()) {
          String r = di.getDimensionsMap().get("region");
          if (request.region().equals(r)) {
            limit = (double) di.getDetails().getValue();
            break;
          }
          if (r == null
              && limit == null
              && (di.getApplicableLocationsList().isEmpty()
                  || di.getApplicableLocationsList().contains(request.region()))) {
            limit = (double) di.getDetails().getValue();
          }
        }
      }
      if (limit == null) {
        return new Amount(0, 0, " (Cloud Quotas lists no such quota: 0)", null);
      }
      // Cloud Quotas reports limits; the usage comes from regions.get when it lists the metric.
      Lookup<Region> r = region();
      if (r.value() != null) {
        for (Quota q : r.value().getQuotasList()) {
          if (q.getMetric().equals(metric)) {
            return new Amount(limit, q.getUsage(), " (limit from Cloud Quotas)", null);
          }
        }
      }
      return new Amount(limit, 0, " (limit from Cloud Quotas; usage unknown, taken as 0)", null);
    }
  }

  private record Floor(
      String subject, String what, String version, CheckStatus below, String source) {}

  private record Amount(double limit, double usage, String note, @Nullable Lookup<?> problem) {
    static Amount problem(Lookup<?> lookup) {
      return new Amount(0, 0, "", lookup);
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Builds a {@link Preflight}; every client is optional. */
  public static final class Builder {
    private @Nullable RegionsClient regions;
    private @Nullable AcceleratorTypesClient acceleratorTypes;
    private @Nullable CloudQuotasClient cloudQuotas;
    private @Nullable ServiceUsageClient serviceUsage;
    private @Nullable ClusterManagerClient clusterManager;
    private String noClient = "no client for this API was given";
    private AcceleratorCatalog catalog = AcceleratorCatalog.standard();

    private Builder() {}

    /** Sets the Compute Engine regions client (quotas). */
    public Builder regions(RegionsClient client) {
      this.regions = client;
      return this;
    }

    /** Sets the Compute Engine accelerator types client (zones). */
    public Builder acceleratorTypes(AcceleratorTypesClient client) {
      this.acceleratorTypes = client;
      return this;
    }

    /** Sets the Cloud Quotas client (TPU quota limits). */
    public Builder cloudQuotas(CloudQuotasClient client) {
      this.cloudQuotas = client;
      return this;
    }

    /** Sets the Service Usage client (enabled APIs). */
    public Builder serviceUsage(ServiceUsageClient client) {
      this.serviceUsage = client;
      return this;
    }

    /** Sets the GKE client (the cluster's version, when the request names the cluster). */
    public Builder clusterManager(ClusterManagerClient client) {
      this.clusterManager = client;
      return this;
    }

    /**
     * Sets why clients are missing, for the rows that needed them; for example {@code no
     * Application Default Credentials}.
     *
     * @param reason the reason
     * @return this builder
     */
    public Builder missingClientReason(String reason) {
      this.noClient = reason;
      return this;
    }

    /**
     * Sets the catalog to read accelerators and quota metrics from; default the standard one.
     *
     * @param catalog the catalog
     * @return this builder
     */
    public Builder catalog(AcceleratorCatalog catalog) {
      this.catalog = catalog;
      return this;
    }

    /** Returns the preflight. */
    public Preflight build() {
      return new Preflight(this);
    }
  }
}
