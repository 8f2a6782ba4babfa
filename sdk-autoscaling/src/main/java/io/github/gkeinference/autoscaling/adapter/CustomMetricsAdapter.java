package io.github.gkeinference.autoscaling.adapter;

import io.fabric8.kubernetes.api.model.APIService;
import io.fabric8.kubernetes.api.model.APIServiceBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The Custom Metrics Stackdriver Adapter, rendered as GoogleCloudPlatform/k8s-stackdriver publishes
 * it ({@code
 * custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml}):
 * namespace, service account, RBAC, Deployment, Service and the three {@code APIService}
 * registrations ({@code v1beta1} and {@code v1beta2.custom.metrics.k8s.io}, {@code
 * v1beta1.external.metrics.k8s.io}).
 *
 * <p>Render it once per cluster, only when the cluster does not run the adapter already. The
 * adapter reads Cloud Monitoring, so its Kubernetes service account needs {@code
 * roles/monitoring.viewer}: with Workload Identity, grant it to the Kubernetes service account
 * {@code custom-metrics/custom-metrics-stackdriver-adapter}, or set {@link #gcpServiceAccount()} to
 * annotate that service account with a Google service account that has the role (adapter README;
 * https://cloud.google.com/stackdriver/docs/managed-prometheus/hpa;
 * GoogleCloudPlatform/k8s-stackdriver custom-metrics-stackdriver-adapter/README.md).
 *
 * <p>Validation: the Namespace, ServiceAccount, Deployment and Service are checked against the
 * Kubernetes 1.33 schemas in tests. There is no schema in this project for {@code
 * rbac.authorization.k8s.io/v1} or {@code apiregistration.k8s.io/v1}, so ClusterRole, RoleBinding,
 * ClusterRoleBinding and APIService are tested for their structure only.
 *
 * <p>Security: the container cannot escalate privileges, drops every capability and uses the
 * runtime's default seccomp profile. It is not forced to run as non-root because the image's user
 * is not documented, and its root file system stays writable because the adapter writes its
 * self-signed serving certificate to disk.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableCustomMetricsAdapter.class)
public interface CustomMetricsAdapter extends RenderableSpec {
  /** The namespace the published manifest uses. */
  String DEFAULT_NAMESPACE = "custom-metrics";

  /** The service account and Deployment name of the published manifest. */
  String NAME = "custom-metrics-stackdriver-adapter";

  /**
   * The image GKE's adapter manifest pins (GoogleCloudPlatform/k8s-stackdriver master, {@code
   * custom-metrics-stackdriver-adapter/deploy/production/adapter_new_resource_model.yaml}).
   */
  String DEFAULT_IMAGE = "gcr.io/gke-release/custom-metrics-stackdriver-adapter:v0.16.9-gke.0";

  /** The annotation that binds a Kubernetes service account to a Google service account. */
  String WORKLOAD_IDENTITY_ANNOTATION = "iam.gke.io/gcp-service-account";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Returns the adapter as published: namespace {@code custom-metrics}, pinned image. */
  static CustomMetricsAdapter defaults() {
    return builder().build();
  }

  /** The namespace; default {@value #DEFAULT_NAMESPACE}. */
  @Value.Default
  default String namespace() {
    return DEFAULT_NAMESPACE;
  }

  /** The adapter image; default {@link #DEFAULT_IMAGE}. */
  @Value.Default
  default String image() {
    return DEFAULT_IMAGE;
  }

  /**
   * A Google service account with {@code roles/monitoring.viewer} to annotate the Kubernetes
   * service account with, for example {@code metrics-adapter@my-project.iam.gserviceaccount.com}.
   */
  Optional<String> gcpServiceAccount();

  /**
   * Checks the spec.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root("metricsAdapter");
    v.require(
        KubernetesNames.isDns1123Label(namespace()),
        "namespace",
        namespace(),
        "must be a DNS-1123 label");
    v.require(!image().isBlank(), "image", image(), "must not be empty");
    gcpServiceAccount()
        .ifPresent(sa -> GcpNames.checkServiceAccountEmail(v, "gcpServiceAccount", sa));
    v.throwIfErrors();
  }

  /**
   * Renders every object the adapter needs.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "CustomMetricsAdapter";
  }

  @Override
  default RenderedSet render() {
    Map<String, String> labels = Labels.standard(NAME, NAME, "metrics-adapter");
    Map<String, String> selector = Labels.selector(NAME, "metrics-adapter");
    String ns = namespace();

    Namespace namespace =
        new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build();

    Map<String, String> annotations = new LinkedHashMap<>();
    gcpServiceAccount().ifPresent(sa -> annotations.put(WORKLOAD_IDENTITY_ANNOTATION, sa));
    ServiceAccount serviceAccount =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(ns)
            .withLabels(labels)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .build();

    ClusterRoleBinding authDelegator =
        clusterRoleBinding(
            "custom-metrics:system:auth-delegator", "system:auth-delegator", NAME, ns, labels);
    RoleBinding authReader =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("custom-metrics-auth-reader")
            .withNamespace("kube-system")
            .withLabels(labels)
            .endMetadata()
            .withNewRoleRef()
            .withApiGroup("rbac.authorization.k8s.io")
            .withKind("Role")
            .withName("extension-apiserver-authentication-reader")
            .endRoleRef()
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(NAME)
            .withNamespace(ns)
            .endSubject()
            .build();
    ClusterRole resourceReader =
        clusterRole(
            "custom-metrics-resource-reader", "", List.of("pods", "nodes", "nodes/stats"), labels);
    ClusterRoleBinding resourceReaderBinding =
        clusterRoleBinding(
            "custom-metrics-resource-reader", "custom-metrics-resource-reader", NAME, ns, labels);
    ClusterRole externalReader =
        clusterRole("external-metrics-reader", "external.metrics.k8s.io", List.of("*"), labels);
    ClusterRoleBinding externalReaderBinding =
        clusterRoleBinding(
            "external-metrics-reader",
            "external-metrics-reader",
            "horizontal-pod-autoscaler",
            "kube-system",
            labels);

    Quantity cpu = new Quantity("250m");
    Quantity memory = new Quantity("400Mi");
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .addToContainers(
                new ContainerBuilder()
                    .withName("pod-custom-metrics-stackdriver-adapter")
                    .withImage(image())
                    .withCommand(
                        "/adapter",
                        "--use-new-resource-model=true",
                        "--fallback-for-container-metrics=true")
                    .withNewResources()
                    .withRequests(Map.of("cpu", cpu, "memory", memory))
                    .withLimits(Map.of("cpu", cpu, "memory", memory))
                    .endResources()
                    .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities()
                    .withDrop("ALL")
                    .endCapabilities()
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .endSecurityContext()
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();

    Service service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(selector)
            .addNewPort()
            .withName("https")
            .withProtocol("TCP")
            .withPort(443)
            .withTargetPort(new IntOrString(443))
            .endPort()
            .endSpec()
            .build();

    return RenderedSet.builder()
        .add(namespace)
        .add(serviceAccount)
        .add(authDelegator)
        .add(authReader)
        .add(resourceReader)
        .add(resourceReaderBinding)
        .add(externalReader)
        .add(externalReaderBinding)
        .add(deployment)
        .add(service)
        .add(apiService("custom.metrics.k8s.io", "v1beta1", 100, ns, labels))
        .add(apiService("custom.metrics.k8s.io", "v1beta2", 200, ns, labels))
        .add(apiService("external.metrics.k8s.io", "v1beta1", 100, ns, labels))
        .build();
  }

  /** A cluster role that may get, list and watch resources of one API group. */
  private static ClusterRole clusterRole(
      String name, String apiGroup, List<String> resources, Map<String, String> labels) {
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .addNewRule()
        .withApiGroups(apiGroup)
        .withResources(resources)
        .withVerbs("get", "list", "watch")
        .endRule()
        .build();
  }

  private static ClusterRoleBinding clusterRoleBinding(
      String name,
      String role,
      String subject,
      String subjectNamespace,
      Map<String, String> labels) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(role)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(subject)
        .withNamespace(subjectNamespace)
        .endSubject()
        .build();
  }

  private static APIService apiService(
      String group, String version, int versionPriority, String ns, Map<String, String> labels) {
    return new APIServiceBuilder()
        .withApiVersion("apiregistration.k8s.io/v1")
        .withNewMetadata()
        .withName(version + "." + group)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withGroup(group)
        .withVersion(version)
        .withGroupPriorityMinimum(100)
        .withVersionPriority(versionPriority)
        // as published: the adapter serves a self-signed certificate
        .withInsecureSkipTLSVerify(true)
        .withNewService()
        .withName(NAME)
        .withNamespace(ns)
        .endService()
        .endSpec()
        .build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableCustomMetricsAdapter.Builder {}
}
