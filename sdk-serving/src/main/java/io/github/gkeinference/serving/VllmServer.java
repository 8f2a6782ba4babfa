package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A vLLM OpenAI-compatible server for one model on NVIDIA GPUs on GKE.
 *
 * <p>This is the first vertical slice of the serving module: it renders a Deployment and a Service
 * for one model on one GPU type.
 *
 * <pre>{@code
 * RenderedSet bundle = VllmServer.builder()
 *     .name("llama-3-1-8b")
 *     .modelId("meta-llama/Llama-3.1-8B-Instruct")
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
public interface VllmServer {
  /**
   * The default image: the vLLM release the reference architecture pins for GPUs (refarch.md
   * section 6, {@code docker.io/vllm/vllm-openai:v0.11.2}).
   */
  String DEFAULT_IMAGE = "vllm/vllm-openai:v0.11.2";

  /** vLLM's default HTTP port for the OpenAI-compatible API and {@code /metrics}. */
  int DEFAULT_PORT = 8000;

  /** The GKE node label that selects a GPU type (gke-facts.md section 1.1). */
  String GPU_NODE_LABEL = "cloud.google.com/gke-accelerator";

  /** The extended resource name of NVIDIA GPUs on GKE. */
  String GPU_RESOURCE = "nvidia.com/gpu";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The name of the Deployment and Service; a DNS-1035 label. */
  String name();

  /** The namespace; default {@code default}. */
  @Value.Default
  default String namespace() {
    return "default";
  }

  /** The Hugging Face model id, for example {@code meta-llama/Llama-3.1-8B-Instruct}. */
  String modelId();

  /** The container image; default {@link #DEFAULT_IMAGE}. */
  @Value.Default
  default String image() {
    return DEFAULT_IMAGE;
  }

  /** The GPU's accelerator label value; default {@code nvidia-l4}. */
  @Value.Default
  default String acceleratorLabel() {
    return "nvidia-l4";
  }

  /** GPUs per replica, which is also vLLM's tensor parallelism; default 1. */
  @Value.Default
  default int gpuCount() {
    return 1;
  }

  /** The number of replicas; default 1. */
  @Value.Default
  default int replicas() {
    return 1;
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        Names.DNS_1035.matcher(name()).matches() && name().length() <= 63,
        "name",
        name(),
        "must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, at"
            + " most 63 characters");
    v.require(
        Names.DNS_1123.matcher(namespace()).matches() && namespace().length() <= 63,
        "namespace",
        namespace(),
        "must be a DNS-1123 label");
    v.require(!modelId().isBlank(), "modelId", modelId(), "must not be empty");
    v.require(!image().isBlank(), "image", image(), "must not be empty");
    v.require(
        acceleratorLabel().startsWith("nvidia-"),
        "acceleratorLabel",
        acceleratorLabel(),
        "must be a GKE NVIDIA GPU label such as nvidia-l4");
    v.require(
        gpuCount() >= 1 && Integer.bitCount(gpuCount()) == 1,
        "gpuCount",
        gpuCount(),
        "must be a power of two (1, 2, 4, 8): it is vLLM's tensor parallelism");
    v.require(replicas() >= 0, "replicas", replicas(), "must be zero or more");
    v.throwIfErrors();
  }

  /**
   * Renders the Deployment and the Service.
   *
   * @return the rendered set
   */
  default RenderedSet render() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "vllm");
    labels.put("app.kubernetes.io/instance", name());
    labels.put("app.kubernetes.io/managed-by", "gke-inference-sdk");
    Map<String, String> selector = Map.of("app.kubernetes.io/instance", name());
    Quantity gpus = new Quantity(String.valueOf(gpuCount()));

    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name())
            .withNamespace(namespace())
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas())
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withNewStrategy()
            .withType("Recreate")
            .endStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNodeSelector(Map.of(GPU_NODE_LABEL, acceleratorLabel()))
            .addToContainers(
                new ContainerBuilder()
                    .withName("vllm")
                    .withImage(image())
                    .withCommand("python3", "-m", "vllm.entrypoints.openai.api_server")
                    .withArgs(
                        List.of(
                            "--model=" + modelId(),
                            "--tensor-parallel-size=" + gpuCount(),
                            "--port=" + DEFAULT_PORT))
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(DEFAULT_PORT)
                    .endPort()
                    .withNewResources()
                    .withRequests(Map.of(GPU_RESOURCE, gpus))
                    .withLimits(Map.of(GPU_RESOURCE, gpus))
                    .endResources()
                    .withNewReadinessProbe()
                    .withNewHttpGet()
                    .withPath("/health")
                    .withPort(new IntOrString("http"))
                    .endHttpGet()
                    .withPeriodSeconds(10)
                    .endReadinessProbe()
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
            .withName(name())
            .withNamespace(namespace())
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(selector)
            .addNewPort()
            .withName("http")
            .withPort(DEFAULT_PORT)
            .withTargetPort(new IntOrString("http"))
            .endPort()
            .endSpec()
            .build();

    return RenderedSet.of(deployment, service);
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableVllmServer.Builder {}

  /** Name patterns of the Kubernetes API server. */
  final class Names {
    static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_1123 = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Names() {}
  }
}
