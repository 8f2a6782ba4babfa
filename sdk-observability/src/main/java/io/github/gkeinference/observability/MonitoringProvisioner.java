package io.github.gkeinference.observability;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.monitoring.dashboard.v1.DashboardsServiceClient;
import com.google.cloud.monitoring.v3.AlertPolicyServiceClient;
import com.google.cloud.monitoring.v3.ServiceMonitoringServiceClient;
import com.google.monitoring.dashboard.v1.CreateDashboardRequest;
import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.dashboard.v1.ListDashboardsRequest;
import com.google.monitoring.dashboard.v1.UpdateDashboardRequest;
import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.ProjectName;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or updates rendered Cloud Monitoring resources (dashboards, alert policies, services and
 * SLOs) so that a second run with the same input changes nothing.
 *
 * <pre>{@code
 * try (MonitoringProvisioner p = MonitoringProvisioner.of("my-project", alerts, dashboards, slos)) {
 *   MonitoringProvisionResult result = p.apply(MonitoringResources.render(spec));
 * }
 * }</pre>
 *
 * <p>Ownership: the provisioner only looks at resources whose user labels say {@code
 * managed-by=gke-inference-sdk}, and matches them by the {@code gke-inference-sdk-id} label that
 * the renderer set; it never reads, changes or deletes anything else. It adds a {@value
 * #HASH_LABEL} label with a digest of the rendered message: a resource whose digest matches is left
 * alone, so values the server fills in (names, mutation records, defaults) never cause spurious
 * updates. Cloud errors are rethrown as {@link SdkException} naming the resource.
 *
 * <p>Closing closes nothing: the clients belong to the caller.
 */
public final class MonitoringProvisioner implements AutoCloseable {
  /** The user label holding a digest of the rendered message. */
  public static final String HASH_LABEL = "gke-inference-sdk-hash";

  static final String OWNER_LABEL = "managed-by";
  static final String ID_LABEL = "gke-inference-sdk-id";

  private static final Logger LOG = LoggerFactory.getLogger(MonitoringProvisioner.class);

  private final String projectId;
  private final AlertPolicyServiceClient alerts;
  private final DashboardsServiceClient dashboards;
  private final ServiceMonitoringServiceClient services;

  private MonitoringProvisioner(
      String projectId,
      AlertPolicyServiceClient alerts,
      DashboardsServiceClient dashboards,
      ServiceMonitoringServiceClient services) {
    this.projectId = projectId;
    this.alerts = alerts;
    this.dashboards = dashboards;
    this.services = services;
  }

  /**
   * Returns a provisioner using the caller's clients.
   *
   * @param projectId the project
   * @param alerts the alert policy client
   * @param dashboards the dashboards client
   * @param services the service monitoring client
   * @return the provisioner
   */
  public static MonitoringProvisioner of(
      String projectId,
      AlertPolicyServiceClient alerts,
      DashboardsServiceClient dashboards,
      ServiceMonitoringServiceClient services) {
    return new MonitoringProvisioner(projectId, alerts, dashboards, services);
  }

  /**
   * Creates or updates every cloud resource of a rendered set that is a dashboard, alert policy,
   * service or SLO; services go before their SLOs.
   *
   * @param set the rendered resources; Kubernetes objects and other messages are ignored
   * @return what was created, updated and left unchanged
   * @throws SdkException naming the resource when a call fails
   */
  public MonitoringProvisionResult apply(RenderedSet set) {
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    List<CloudResource> resources = set.cloudResources();
    List<AlertPolicy> existingPolicies = null;
    List<Dashboard> existingDashboards = null;
    for (CloudResource r : resources) {
      Outcome outcome;
      try {
        if (r.message() instanceof AlertPolicy policy) {
          if (existingPolicies == null) {
            existingPolicies = ownedPolicies();
          }
          outcome = applyPolicy(policy, existingPolicies);
        } else if (r.message() instanceof Dashboard dashboard) {
          if (existingDashboards == null) {
            existingDashboards = ownedDashboards();
          }
          outcome = applyDashboard(dashboard, existingDashboards);
        } else if (r.message() instanceof Service service) {
          outcome = applyService(r.name(), service);
        } else if (r.message() instanceof ServiceLevelObjective slo) {
          outcome = applySlo(r.name(), slo);
        } else {
          continue;
        }
      } catch (ApiException e) {
        throw new SdkException(
            "cannot create or update " + r.kind() + " '" + display(r) + "' (" + r.name() + ")", e);
      }
      String id = r.kind() + " " + r.name();
      LOG.info("{}: {}", id, outcome);
      switch (outcome) {
        case CREATED -> created.add(id);
        case UPDATED -> updated.add(id);
        case UNCHANGED -> unchanged.add(id);
        default -> throw new IllegalStateException(outcome.name());
      }
    }
    return new MonitoringProvisionResult(created, updated, unchanged);
  }

  private Outcome applyPolicy(AlertPolicy desired, List<AlertPolicy> owned) {
    String id = desired.getUserLabelsOrDefault(ID_LABEL, "");
    AlertPolicy withHash = desired.toBuilder().putUserLabels(HASH_LABEL, hash(desired)).build();
    Optional<AlertPolicy> existing =
        owned.stream().filter(p -> id.equals(p.getUserLabelsOrDefault(ID_LABEL, ""))).findFirst();
    if (existing.isEmpty()) {
      alerts.createAlertPolicy(ProjectName.of(projectId), withHash);
      return Outcome.CREATED;
    }
    if (sameHash(existing.get().getUserLabelsMap(), withHash.getUserLabelsMap())) {
      return Outcome.UNCHANGED;
    }
    alerts.updateAlertPolicy(
        com.google.protobuf.FieldMask.getDefaultInstance(),
        withHash.toBuilder().setName(existing.get().getName()).build());
    return Outcome.UPDATED;
  }

  private Outcome applyDashboard(Dashboard desired, List<Dashboard> owned) {
    String id = desired.getLabelsOrDefault(ID_LABEL, "");
    Dashboard withHash = desired.toBuilder().putLabels(HASH_LABEL, hash(desired)).build();
    Optional<Dashboard> existing =
        owned.stream().filter(d -> id.equals(d.getLabelsOrDefault(ID_LABEL, ""))).findFirst();
    if (existing.isEmpty()) {
      dashboards.createDashboard(
          CreateDashboardRequest.newBuilder()
              .setParent(ProjectName.of(projectId).toString())
              .setDashboard(withHash)
              .build());
      return Outcome.CREATED;
    }
    if (sameHash(existing.get().getLabelsMap(), withHash.getLabelsMap())) {
      return Outcome.UNCHANGED;
    }
    dashboards.updateDashboard(
        UpdateDashboardRequest.newBuilder()
            .setDashboard(
                withHash.toBuilder()
                    .setName(existing.get().getName())
                    .setEtag(existing.get().getEtag())
                    .build())
            .build());
    return Outcome.UPDATED;
  }

  private Outcome applyService(String serviceId, Service desired) {
    Service withHash = desired.toBuilder().putUserLabels(HASH_LABEL, hash(desired)).build();
    String name = ProjectName.of(projectId) + "/services/" + serviceId;
    Optional<Service> existing = findService(name);
    if (existing.isEmpty()) {
      services.createService(
          com.google.monitoring.v3.CreateServiceRequest.newBuilder()
              .setParent(ProjectName.of(projectId).toString())
              .setServiceId(serviceId)
              .setService(withHash)
              .build());
      return Outcome.CREATED;
    }
    requireOwned(existing.get().getUserLabelsMap(), "Service " + name);
    if (sameHash(existing.get().getUserLabelsMap(), withHash.getUserLabelsMap())) {
      return Outcome.UNCHANGED;
    }
    services.updateService(withHash.toBuilder().setName(name).build());
    return Outcome.UPDATED;
  }

  private Outcome applySlo(String resourceName, ServiceLevelObjective desired) {
    int slash = resourceName.indexOf('/');
    String serviceName =
        ProjectName.of(projectId) + "/services/" + resourceName.substring(0, slash);
    String sloId = resourceName.substring(slash + 1);
    String name = serviceName + "/serviceLevelObjectives/" + sloId;
    ServiceLevelObjective withHash =
        desired.toBuilder().putUserLabels(HASH_LABEL, hash(desired)).build();
    Optional<ServiceLevelObjective> existing = Optional.empty();
    for (ServiceLevelObjective s : services.listServiceLevelObjectives(serviceName).iterateAll()) {
      if (s.getName().equals(name)) {
        existing = Optional.of(s);
      }
    }
    if (existing.isEmpty()) {
      services.createServiceLevelObjective(
          com.google.monitoring.v3.CreateServiceLevelObjectiveRequest.newBuilder()
              .setParent(serviceName)
              .setServiceLevelObjectiveId(sloId)
              .setServiceLevelObjective(withHash)
              .build());
      return Outcome.CREATED;
    }
    requireOwned(existing.get().getUserLabelsMap(), "ServiceLevelObjective " + name);
    if (sameHash(existing.get().getUserLabelsMap(), withHash.getUserLabelsMap())) {
      return Outcome.UNCHANGED;
    }
    services.updateServiceLevelObjective(withHash.toBuilder().setName(name).build());
    return Outcome.UPDATED;
  }

  private Optional<Service> findService(String name) {
    for (Service s : services.listServices(ProjectName.of(projectId)).iterateAll()) {
      if (s.getName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private List<AlertPolicy> ownedPolicies() {
    List<AlertPolicy> owned = new ArrayList<>();
    for (AlertPolicy p : alerts.listAlertPolicies(ProjectName.of(projectId)).iterateAll()) {
      if (Labels.MANAGED_BY_VALUE.equals(p.getUserLabelsOrDefault(OWNER_LABEL, ""))) {
        owned.add(p);
      }
    }
    return owned;
  }

  private List<Dashboard> ownedDashboards() {
    List<Dashboard> owned = new ArrayList<>();
    for (Dashboard d :
        dashboards
            .listDashboards(
                ListDashboardsRequest.newBuilder()
                    .setParent(ProjectName.of(projectId).toString())
                    .build())
            .iterateAll()) {
      if (Labels.MANAGED_BY_VALUE.equals(d.getLabelsOrDefault(OWNER_LABEL, ""))) {
        owned.add(d);
      }
    }
    return owned;
  }

  private static void requireOwned(Map<String, String> labels, String what) {
    if (!Labels.MANAGED_BY_VALUE.equals(labels.getOrDefault(OWNER_LABEL, ""))) {
      throw new SdkException(
          what
              + " exists but was not created by gke-inference-sdk (no label "
              + OWNER_LABEL
              + "="
              + Labels.MANAGED_BY_VALUE
              + "); refusing to change it");
    }
  }

  private static boolean sameHash(Map<String, String> existing, Map<String, String> desired) {
    return desired.get(HASH_LABEL).equals(existing.get(HASH_LABEL));
  }

  /** Returns the first 16 hex digits of the SHA-256 of the message's deterministic bytes. */
  static String hash(Message message) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      message.writeTo(out);
      out.flush();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String display(CloudResource r) {
    Message m = r.message();
    var field = m.getDescriptorForType().findFieldByName("display_name");
    return field == null ? r.name() : String.valueOf(m.getField(field));
  }

  @Override
  public void close() {
    // the clients belong to the caller
  }

  private enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED
  }
}
