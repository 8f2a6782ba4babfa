package io.github.gkeinference.serving.comfyui;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.ManagedPrometheus;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.GcpBackendPolicy;
import io.github.gkeinference.serving.crd.HealthCheckPolicy;
import io.github.gkeinference.serving.crd.PolicyTargetRef;
import io.github.gkeinference.serving.internal.Listeners;
import io.github.gkeinference.serving.internal.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * ComfyUI on one GPU, reachable from the internet only through Identity-Aware Proxy
 * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md).
 *
 * <p>Renders a ServiceAccount, a Deployment running as the non-root user 10000 without a service
 * account token, with four GCS FUSE buckets (models, read-only; input, output, workflows), a
 * Service, an external Gateway ({@code gke-l7-global-external-managed}) listening on HTTPS only
 * with the certificate of {@link #tlsSecretName()}, an HTTPRoute, a GCPBackendPolicy that turns IAP
 * on, a HealthCheckPolicy and a NetworkPolicy that admits only Google's load balancer and
 * health-check ranges, the Managed Prometheus collector and the namespace itself.
 *
 * <pre>{@code
 * RenderedSet bundle = ComfyUi.builder()
 *     .name("comfyui")
 *     .image("us-docker.pkg.dev/p/r/comfyui:1.0")
 *     .placement(p -> p.accelerator("nvidia-l4"))
 *     .modelsBucket("p-comfyui-models")
 *     .inputBucket("p-comfyui-input")
 *     .outputBucket("p-comfyui-output")
 *     .workflowsBucket("p-comfyui-workflows")
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableComfyUi.class)
public interface ComfyUi extends RenderableSpec {
  /**
   * ComfyUI's HTTP port (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md).
   */
  int PORT = 8188;

  /**
   * The user, group and fsGroup the reference architecture runs ComfyUI as
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md).
   */
  long USER = 10_000L;

  /**
   * Google's load balancer and health-check source ranges the reference architecture's
   * NetworkPolicy admits (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md).
   */
  List<String> GOOGLE_LB_RANGES = List.of("35.191.0.0/16", "130.211.0.0/22");

  /** The name of the Gateway's only listener, HTTPS on 443. */
  String HTTPS_LISTENER = "https";

  /**
   * The GatewayClass of a global external Application Load Balancer
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md).
   */
  String GATEWAY_CLASS = "gke-l7-global-external-managed";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The name of every object; a DNS-1035 label of at most 50 characters. */
  String name();

  /** The namespace; default {@code default}. */
  @Value.Default
  default String namespace() {
    return "default";
  }

  /** The ComfyUI image (the reference architecture builds its own). */
  String image();

  /** The GPU. */
  AcceleratorPlacement placement();

  /** The bucket with checkpoints, LoRAs and other models. */
  String modelsBucket();

  /** The bucket with input images. */
  String inputBucket();

  /** The bucket results are written to. */
  String outputBucket();

  /** The bucket with saved workflows. */
  String workflowsBucket();

  /** Where ComfyUI is installed in the image; the buckets are mounted below it. */
  @Value.Default
  default String installDir() {
    return "/ComfyUI";
  }

  /** The host name the HTTPRoute answers, if any. */
  Optional<String> hostname();

  /** The Google service account the pods act as (Workload Identity), for the buckets. */
  Optional<String> googleServiceAccount();

  /**
   * The Secret ({@code kubernetes.io/tls}) whose certificate the Gateway's HTTPS listener serves
   * for {@link #hostname()}; default {@code <name>-tls}, which you create (or cert-manager does).
   * The Gateway listens on HTTPS only: IAP, which the backend policy turns on, needs HTTPS (GKE
   * "Enable IAP for GKE", https://cloud.google.com/iap/docs/enabling-kubernetes-howto; Secrets on
   * GKE Gateways: https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway).
   */
  @Value.Default
  default String tlsSecretName() {
    return name() + "-tls";
  }

  /**
   * The backend timeout in seconds: long generations; default 3600
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md).
   */
  @Value.Default
  default int timeoutSeconds() {
    return 3600;
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(Pods.isDns1035(name(), 50), "name", name(), "must be a DNS-1035 label of at most 50");
    v.require(Pods.isDns1123(namespace()), "namespace", namespace(), "must be a DNS-1123 label");
    ContainerImages.check(v, "image", image());
    String bucket = "[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]";
    v.require(
        modelsBucket().matches(bucket), "modelsBucket", modelsBucket(), "must be a bucket name");
    v.require(inputBucket().matches(bucket), "inputBucket", inputBucket(), "must be a bucket name");
    v.require(
        outputBucket().matches(bucket), "outputBucket", outputBucket(), "must be a bucket name");
    v.require(
        workflowsBucket().matches(bucket),
        "workflowsBucket",
        workflowsBucket(),
        "must be a bucket name");
    v.require(installDir().startsWith("/"), "installDir", installDir(), "must be an absolute path");
    v.require(
        KubernetesNames.isDns1123Subdomain(tlsSecretName()),
        "tlsSecretName",
        tlsSecretName(),
        "must be a Secret name (a DNS-1123 subdomain)");
    v.require(
        timeoutSeconds() >= 1 && timeoutSeconds() <= 86_400,
        "timeoutSeconds",
        timeoutSeconds(),
        "must be between 1 and 86400");
    v.throwIfErrors();
  }

  /**
   * Renders the bundle.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "ComfyUi";
  }

  @Override
  default RenderedSet render() {
    Map<String, String> labels = Labels.standard("comfyui", name(), "ui");
    Map<String, String> selector = Labels.selector(name(), "ui");
    String ns = namespace();
    // four GCS FUSE sidecar volumes share one sidecar: leave its default requests free
    PodScheduling scheduling =
        placement().toBuilder()
            .sidecarCpuMillis(placement().sidecarCpuMillis() + 250)
            .sidecarMemoryBytes(placement().sidecarMemoryBytes() + (256L << 20))
            .build()
            .schedule();
    Map<String, String> buckets = new LinkedHashMap<>();
    buckets.put("models", modelsBucket());
    buckets.put("input", inputBucket());
    buckets.put("output", outputBucket());
    buckets.put("workflows", workflowsBucket());
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("models", installDir() + "/models");
    paths.put("input", installDir() + "/input");
    paths.put("output", installDir() + "/output");
    paths.put("workflows", installDir() + "/user/default/workflows");
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    buckets.forEach(
        (key, bucket) -> {
          Boolean readOnly = key.equals("models") ? Boolean.TRUE : null;
          volumes.add(
              new VolumeBuilder()
                  .withName(key)
                  .withNewCsi()
                  .withDriver("gcsfuse.csi.storage.gke.io")
                  .addToVolumeAttributes("bucketName", bucket)
                  // GoogleCloudPlatform/accelerated-platforms@9320f3b2
                  // platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md:
                  // short metadata TTLs (files change), unlimited file cache,
                  // files owned by the ComfyUI user
                  .addToVolumeAttributes(
                      "mountOptions",
                      "implicit-dirs,metadata-cache:ttl-secs:60,"
                          + "file-system:kernel-list-cache-ttl-secs:60,"
                          + "file-cache:max-size-mb:-1,file-cache:enable-parallel-downloads:true,"
                          + "uid=10000,gid=10000,file-mode=664,dir-mode=775")
                  // ComfyUI only reads its models: the models bucket is mounted read-only
                  .withReadOnly(readOnly)
                  .endCsi()
                  .build());
          mounts.add(
              new VolumeMountBuilder()
                  .withName(key)
                  .withMountPath(paths.get(key))
                  .withReadOnly(readOnly)
                  .build());
        });
    RenderedSet.Builder out =
        RenderedSet.builder()
            .addWorkload(
                Pods.deploymentFacts(name(), ns, selector, labels)
                    .addPort(WorkloadFacts.HTTP, PORT)
                    .devices(scheduling.accelerator().kind().resourceName(), scheduling.devices())
                    .build());
    ServiceAccountBuilder sa =
        new ServiceAccountBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            // ComfyUI never calls the Kubernetes API
            .withAutomountServiceAccountToken(false);
    googleServiceAccount()
        .ifPresent(
            g ->
                sa.editMetadata()
                    .addToAnnotations(VllmServer.WORKLOAD_IDENTITY_ANNOTATION, g)
                    .endMetadata());
    out.add(sa.build());
    out.add(
        new DeploymentBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withNewStrategy()
            .withType("Recreate")
            .endStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .addToAnnotations("gke-gcsfuse/volumes", "true")
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(name())
            .withAutomountServiceAccountToken(false)
            .withNodeSelector(scheduling.nodeSelector())
            .withTolerations(scheduling.tolerations())
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(USER)
            .withRunAsGroup(USER)
            .withFsGroup(USER)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addNewContainer()
            .withName("comfyui")
            .withImage(image())
            .withImagePullPolicy("IfNotPresent")
            .addNewPort()
            .withName("http")
            .withContainerPort(PORT)
            .withProtocol("TCP")
            .endPort()
            .withResources(scheduling.resources())
            .withNewStartupProbe()
            .withNewHttpGet()
            .withPath("/")
            .withPort(new IntOrString("http"))
            .endHttpGet()
            .withPeriodSeconds(10)
            .withFailureThreshold(60)
            .endStartupProbe()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/")
            .withPort(new IntOrString("http"))
            .endHttpGet()
            .withPeriodSeconds(15)
            .endReadinessProbe()
            // after start-up, a minute without an answer restarts ComfyUI
            .withNewLivenessProbe()
            .withNewHttpGet()
            .withPath("/")
            .withPort(new IntOrString("http"))
            .endHttpGet()
            .withPeriodSeconds(Pods.LIVENESS_PERIOD_SECONDS)
            .withTimeoutSeconds(Pods.PROBE_TIMEOUT_SECONDS)
            .withFailureThreshold(Pods.LIVENESS_FAILURES)
            .endLivenessProbe()
            .withSecurityContext(Pods.restricted(true))
            .withVolumeMounts(mounts)
            .endContainer()
            .withVolumes(volumes)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(
        new ServiceBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(selector)
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .withPort(PORT)
            .withTargetPort(new IntOrString("http"))
            .endPort()
            .endSpec()
            .build());
    out.add(
        new GatewayBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            .withNewSpec()
            .withGatewayClassName(GATEWAY_CLASS)
            .withListeners(Listeners.https(HTTPS_LISTENER, tlsSecretName()))
            .endSpec()
            .build());
    HTTPRouteBuilder route =
        new HTTPRouteBuilder()
            .withMetadata(Pods.meta(name(), ns, labels))
            .withNewSpec()
            .addNewParentRef()
            .withName(name())
            .withSectionName(HTTPS_LISTENER)
            .endParentRef()
            .addNewRule()
            .addNewBackendRef()
            .withName(name())
            .withPort(PORT)
            .endBackendRef()
            .endRule()
            .endSpec();
    hostname().ifPresent(h -> route.editSpec().withHostnames(h).endSpec());
    out.add(route.build());
    GcpBackendPolicy backend = new GcpBackendPolicy();
    backend.setMetadata(Pods.meta(name(), ns, labels));
    backend.setSpec(
        new GcpBackendPolicy.Spec(
            PolicyTargetRef.service(name()),
            new GcpBackendPolicy.Settings(
                timeoutSeconds(), null, GcpBackendPolicy.Iap.googleManaged())));
    out.add(backend);
    HealthCheckPolicy health = new HealthCheckPolicy();
    health.setMetadata(Pods.meta(name(), ns, labels));
    health.setSpec(
        new HealthCheckPolicy.Spec(
            PolicyTargetRef.service(name()),
            new HealthCheckPolicy.Check(
                null,
                null,
                HealthCheckPolicy.Config.http(
                    new HealthCheckPolicy.HttpCheck("USE_SERVING_PORT", null, "/")))));
    out.add(health);
    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> from = new ArrayList<>();
    for (String cidr : GOOGLE_LB_RANGES) {
      from.add(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build());
    }
    // the Managed Prometheus collector, on Standard or Autopilot
    from.add(ManagedPrometheus.collectorPeer());
    from.add(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
    out.add(
        new NetworkPolicyBuilder()
            .withMetadata(Pods.meta(name() + "-ingress", ns, labels))
            .withNewSpec()
            .withNewPodSelector()
            .withMatchLabels(selector)
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .withFrom(from)
            .endIngress()
            .endSpec()
            .build());
    return out.build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableComfyUi.Builder {
    /**
     * Sets the placement built by {@code placement}.
     *
     * @param placement sets the GPU
     * @return this builder
     */
    public Builder placement(Consumer<AcceleratorPlacement.Builder> placement) {
      AcceleratorPlacement.Builder b = AcceleratorPlacement.builder();
      placement.accept(b);
      return placement(b.build());
    }
  }
}
