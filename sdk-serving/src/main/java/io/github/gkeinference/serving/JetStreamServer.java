package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.accelerators.scheduling.PodScheduling;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.JetStreamRelease;
import io.github.gkeinference.core.server.JetStreamReleases;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.internal.ServerArgs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * JetStream with the MaxText engine on a single-host TPU slice.
 *
 * <p>Renders a ServiceAccount, a Deployment whose pod runs the MaxText engine server (gRPC 9000,
 * Prometheus metrics with the {@code jetstream_*} names on {@link #METRICS_PORT}) and JetStream's
 * HTTP server (port 8000) side by side, a Service with the {@code http}, {@code grpc} and {@code
 * metrics} ports, and a PodDisruptionBudget. Images, arguments and ports follow the GKE JetStream
 * MaxText tutorial (GoogleCloudPlatform/ai-on-gke {@code
 * tutorials-and-examples/inference-servers/jetstream/maxtext/single-host-inference}). The PyTorch
 * engine is not offered: the SDK has no sourced facts for its GKE deployment yet.
 *
 * <pre>{@code
 * RenderedSet bundle = JetStreamServer.builder()
 *     .name("gemma-7b")
 *     .modelName("gemma-7b")
 *     .tokenizerPath("assets/tokenizer.gemma")
 *     .checkpoint("gs://my-bucket/final/unscanned/gemma_7b-it/0/checkpoints/0/items")
 *     .placement(p -> p.accelerator("tpu-v5-lite-podslice").devices(8).tpuTopology("2x4"))
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableJetStreamServer.class)
public interface JetStreamServer extends RenderableSpec {
  /**
   * The MaxText engine server image of the GKE tutorial, of the release table's default JetStream
   * release ({@link JetStreamReleases#defaultRelease()}).
   */
  String DEFAULT_ENGINE_IMAGE = JetStreamReleases.defaultRelease().images().get(0);

  /** JetStream's HTTP front end image of the GKE tutorial, of the same release. */
  String DEFAULT_HTTP_IMAGE = JetStreamReleases.defaultRelease().images().get(1);

  /** JetStream's HTTP port. */
  int HTTP_PORT = 8000;

  /** The engine's gRPC port. */
  int GRPC_PORT = 9000;

  /** The engine's Prometheus port (a MaxText server key), as in the tutorial. */
  int METRICS_PORT = 9100;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The name of every object; a DNS-1035 label of at most 55 characters. */
  String name();

  /** The namespace; default {@code default}. */
  @Value.Default
  default String namespace() {
    return "default";
  }

  /** MaxText's {@code model_name}, for example {@code gemma-7b}. */
  String modelName();

  /**
   * MaxText's {@code tokenizer_path} inside the image, for example {@code assets/tokenizer.gemma}.
   */
  String tokenizerPath();

  /** The MaxText checkpoint ({@code load_parameters_path}), a {@code gs://} path. */
  String checkpoint();

  /** The single-host TPU slice. */
  AcceleratorPlacement placement();

  /** {@code per_device_batch_size}; default 4 (the tutorial's). */
  @Value.Default
  default int perDeviceBatchSize() {
    return 4;
  }

  /** {@code max_prefill_predict_length}; default 1024 (the tutorial's). */
  @Value.Default
  default int maxPrefillLength() {
    return 1024;
  }

  /** {@code max_target_length}; default 2048 (the tutorial's). */
  @Value.Default
  default int maxTargetLength() {
    return 2048;
  }

  /** The engine image; default {@link #DEFAULT_ENGINE_IMAGE}. */
  @Value.Default
  default String engineImage() {
    return DEFAULT_ENGINE_IMAGE;
  }

  /** The HTTP server image; default {@link #DEFAULT_HTTP_IMAGE}. */
  @Value.Default
  default String httpImage() {
    return DEFAULT_HTTP_IMAGE;
  }

  /** The number of replicas; default 1. */
  @Value.Default
  default int replicas() {
    return 1;
  }

  /** The Google service account the pods act as (Workload Identity), to read the checkpoint. */
  Optional<String> googleServiceAccount();

  /**
   * The cluster project's Workload Identity pool, if the checkpoint bucket's read access is to be
   * granted to the server's Kubernetes service account directly; see {@link #bucketGrants()}.
   */
  Optional<WorkloadIdentityPool> workloadIdentity();

  /**
   * Returns the least-privilege grant the server needs: read-only access ({@link
   * BucketGrant#OBJECT_VIEWER}) to exactly the bucket of its {@link #checkpoint()}, for the
   * identity its pods act as (the {@link #googleServiceAccount()}, else the Kubernetes service
   * account's Workload Identity principal), as VllmServer does. Empty when neither identity is
   * known. Rendered as a Config Connector {@code IAMPolicyMember} named {@code NAME-model-reader}.
   *
   * @return the grants, possibly empty
   */
  default List<BucketGrant> bucketGrants() {
    return ServerIdentity.member(googleServiceAccount(), workloadIdentity(), namespace(), name())
        .map(m -> List.of(BucketGrant.objectViewer(GcsLocation.parse(checkpoint()).bucket(), m)))
        .orElse(List.of());
  }

  /** Returns the labels that select this server's pods. */
  default Map<String, String> selectorLabels() {
    return Labels.selector(name(), VllmRendering.COMPONENT);
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    ContainerImages.check(v, "engineImage", engineImage());
    ContainerImages.check(v, "httpImage", httpImage());
    v.require(Pods.isDns1035(name(), 55), "name", name(), "must be a DNS-1035 label of at most 55");
    v.require(Pods.isDns1123(namespace()), "namespace", namespace(), "must be a DNS-1123 label");
    v.require(
        modelName().matches("[a-z0-9][-a-z0-9.]*"),
        "modelName",
        modelName(),
        "must be a MaxText model name");
    v.require(!tokenizerPath().isBlank(), "tokenizerPath", tokenizerPath(), "must not be empty");
    v.require(checkpoint().startsWith("gs://"), "checkpoint", checkpoint(), "must be a gs:// path");
    boolean tpu =
        AcceleratorCatalog.standard()
            .byLabel(placement().accelerator())
            .map(t -> t.isTpu())
            .orElse(false);
    v.require(tpu, "placement.accelerator", placement().accelerator(), "must be a TPU label");
    int chips = placement().tpuTopology().map(VllmTpuServer::chips).orElse(placement().devices());
    v.require(
        chips == placement().devices(),
        "placement.tpuTopology",
        placement().tpuTopology().orElse(""),
        "spans more than one VM (" + chips + " chips); JetStream here serves single-host slices");
    v.require(
        perDeviceBatchSize() >= 1, "perDeviceBatchSize", perDeviceBatchSize(), "must be >= 1");
    v.require(maxPrefillLength() >= 1, "maxPrefillLength", maxPrefillLength(), "must be >= 1");
    v.require(
        maxTargetLength() > maxPrefillLength(),
        "maxTargetLength",
        maxTargetLength(),
        "must exceed maxPrefillLength, which is part of it");
    v.require(replicas() >= 0, "replicas", replicas(), "must be zero or more");
    // every argument the server renders must be one the engine image's release takes
    release()
        .ifPresent(
            r -> {
              for (String arg : engineArgs().args()) {
                String key = JetStreamRelease.keyOf(arg).orElse(arg);
                r.unsupported(arg).ifPresent(why -> v.error(attributeOf(key), arg, why));
              }
            });
    v.throwIfErrors();
  }

  /**
   * Returns the JetStream release of the engine image (the release table, {@link
   * JetStreamReleases}), or empty for an image the table does not list.
   */
  default Optional<JetStreamRelease> release() {
    return JetStreamReleases.forImage(engineImage());
  }

  /**
   * Warns when the engine image is not one the release table lists: the MaxText keys the server
   * renders cannot then be checked against it.
   *
   * @param violations where the findings go
   */
  @Override
  default void validate(Violations violations) {
    if (release().isEmpty()) {
      violations.warning(
          "engineImage",
          engineImage(),
          "is not an image of a JetStream release the SDK lists, so the MaxText keys it renders"
              + " cannot be checked; the listed images are "
              + JetStreamReleases.releases().stream().flatMap(r -> r.images().stream()).toList());
    }
  }

  /**
   * Returns the spec attribute behind a MaxText key the server renders, for violation paths; the
   * keys the SDK fixes are reported at {@code engineImage}, the attribute that picks the release.
   */
  private static String attributeOf(String key) {
    return switch (key) {
      case "model_name" -> "modelName";
      case "tokenizer_path" -> "tokenizerPath";
      case "per_device_batch_size" -> "perDeviceBatchSize";
      case "max_prefill_predict_length" -> "maxPrefillLength";
      case "max_target_length" -> "maxTargetLength";
      case "load_parameters_path" -> "checkpoint";
      default -> "engineImage";
    };
  }

  /**
   * Returns the MaxText engine server's arguments: MaxText {@code base.yml} keys as {@code
   * key=value}, as the GKE tutorial passes them.
   */
  private ServerArgs engineArgs() {
    ServerArgs flags = new ServerArgs();
    flags.flag("model_name", modelName());
    flags.flag("tokenizer_path", tokenizerPath());
    flags.flag("per_device_batch_size", perDeviceBatchSize());
    flags.flag("max_prefill_predict_length", maxPrefillLength());
    flags.flag("max_target_length", maxTargetLength());
    flags.flag("async_checkpointing", "false");
    flags.flag("ici_fsdp_parallelism", 1);
    flags.flag("ici_autoregressive_parallelism", -1);
    flags.flag("ici_tensor_parallelism", 1);
    flags.flag("scan_layers", "false");
    flags.flag("weight_dtype", "bfloat16");
    flags.flag("load_parameters_path", checkpoint());
    flags.flag("prometheus_port", METRICS_PORT);
    return flags;
  }

  /**
   * Renders the ServiceAccount, Deployment, Service and PodDisruptionBudget.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "JetStreamServer";
  }

  @Override
  default RenderedSet render() {
    Map<String, String> labels = Labels.standard("jetstream", name(), VllmRendering.COMPONENT);
    labels.put(Labels.MODEL, modelName());
    labels.put(Labels.INFERENCE_SERVER, "jetstream-maxtext");
    // the HTTP server shares the node: size the engine with its requests left out
    PodScheduling scheduling =
        placement().toBuilder()
            .sidecarCpuMillis(placement().sidecarCpuMillis() + 500)
            .sidecarMemoryBytes(placement().sidecarMemoryBytes() + (512L << 20))
            .build()
            .schedule();
    ServerArgs flags = engineArgs();
    List<String> args = flags.args();
    Container engine =
        new ContainerBuilder()
            .withName("maxengine-server")
            .withImage(engineImage())
            .withImagePullPolicy("IfNotPresent")
            .withArgs(args)
            .addNewPort()
            .withName("grpc")
            .withContainerPort(GRPC_PORT)
            .withProtocol("TCP")
            .endPort()
            .addNewPort()
            .withName("metrics")
            .withContainerPort(METRICS_PORT)
            .withProtocol("TCP")
            .endPort()
            .withResources(scheduling.resources())
            // loading and compiling take minutes; a tcp check on the gRPC port, one hour at most
            .withNewStartupProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString("grpc"))
            .endTcpSocket()
            .withPeriodSeconds(10)
            .withFailureThreshold(360)
            .endStartupProbe()
            .withNewReadinessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString("grpc"))
            .endTcpSocket()
            .withPeriodSeconds(10)
            .endReadinessProbe()
            // after start-up, a minute without the gRPC port restarts the engine
            .withLivenessProbe(tcpLiveness("grpc"))
            .withSecurityContext(Pods.restricted(false))
            .build();
    Container http =
        new ContainerBuilder()
            .withName("jetstream-http")
            .withImage(httpImage())
            .withImagePullPolicy("IfNotPresent")
            .addNewPort()
            .withName("http")
            .withContainerPort(HTTP_PORT)
            .withProtocol("TCP")
            .endPort()
            .withNewResources()
            .addToRequests("cpu", new Quantity("500m"))
            .addToRequests("memory", new Quantity("512Mi"))
            .addToLimits("memory", new Quantity("1Gi"))
            .endResources()
            .withNewReadinessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString("http"))
            .endTcpSocket()
            .withPeriodSeconds(10)
            .endReadinessProbe()
            .withLivenessProbe(tcpLiveness("http"))
            .withSecurityContext(Pods.restricted(false))
            .build();
    ServerPod pod =
        new ServerPod(
            name(),
            namespace(),
            labels,
            selectorLabels(),
            Map.of(),
            engine,
            List.of(),
            scheduling.nodeSelector(),
            scheduling.tolerations(),
            ServerIdentity.of(
                name(),
                namespace(),
                labels,
                Optional.empty(),
                googleServiceAccount(),
                bucketGrants()),
            List.of(
                ServerPod.port("http", HTTP_PORT, "http"),
                ServerPod.port("grpc", GRPC_PORT, "grpc"),
                ServerPod.port("metrics", METRICS_PORT, "metrics")),
            // MaxText reads the checkpoint from gs:// itself; no volume is needed
            null);
    WorkloadFacts facts =
        pod.facts("apps/v1", "Deployment")
            .addPort(WorkloadFacts.HTTP, HTTP_PORT)
            .server("jetstream")
            .modelId(modelName())
            .devices(scheduling.accelerator().kind().resourceName(), scheduling.devices())
            .flags(flags.modelled())
            .metrics(METRICS_PORT, WorkloadFacts.METRICS, "/metrics")
            .build();
    RenderedSet.Builder out = RenderedSet.builder().addWorkload(facts);
    for (HasMetadata o : pod.render(replicas(), facts).kubernetesObjects()) {
      if (o instanceof Deployment d) {
        d.getSpec().getTemplate().getSpec().getContainers().add(http);
      }
      out.add(o);
    }
    return out.build();
  }

  /**
   * Returns a liveness probe on a named TCP port with the model servers' timing ({@link
   * ServerPod#livenessProbe}): four misses of 15 s restart the container.
   */
  private static Probe tcpLiveness(String port) {
    return new ProbeBuilder()
        .withNewTcpSocket()
        .withPort(new IntOrString(port))
        .endTcpSocket()
        .withPeriodSeconds(ServerPod.LIVENESS_PERIOD_SECONDS)
        .withTimeoutSeconds(ServerPod.PROBE_TIMEOUT_SECONDS)
        .withFailureThreshold(ServerPod.LIVENESS_FAILURES)
        .build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableJetStreamServer.Builder {
    /**
     * Sets the placement built by {@code placement}.
     *
     * @param placement sets the TPU type, chips and topology
     * @return this builder
     */
    public Builder placement(Consumer<AcceleratorPlacement.Builder> placement) {
      AcceleratorPlacement.Builder b = AcceleratorPlacement.builder();
      placement.accept(b);
      return placement(b.build());
    }
  }
}
