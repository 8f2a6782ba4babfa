package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.vllm.VllmFlags;
import io.github.gkeinference.serving.vllm.XlaCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A vLLM server for one model on a single-host TPU slice.
 *
 * <p>Renders the same objects as {@link VllmServer} (ServiceAccount, Deployment, Service,
 * PodDisruptionBudget) with the vLLM TPU image, TPU node selectors and topology from the placement,
 * {@code google.com/tpu} requests equal to the slice's chips, and an XLA compilation cache ({@code
 * VLLM_XLA_CACHE_PATH}). Tensor parallelism equals the chips. For slices that span several VMs use
 * {@link MultiHostServer}.
 *
 * <pre>{@code
 * RenderedSet bundle = VllmTpuServer.builder()
 *     .name("qwen3-32b")
 *     .modelId("Qwen/Qwen3-32B")
 *     .placement(p -> p.accelerator("tpu-v6e-slice").devices(4).tpuTopology("2x2"))
 *     .maxModelLen(32768)
 *     .xlaCache(XlaCache.gcs("my-cache", "xla/qwen3-32b"))
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableVllmTpuServer.class)
public interface VllmTpuServer extends RenderableSpec {
  /**
   * The default image: the vLLM TPU release the reference architecture pins
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml,
   * {@code docker.io/vllm/vllm-tpu:v0.11.1}).
   */
  String DEFAULT_IMAGE = "vllm/vllm-tpu:v0.11.1";

  /**
   * The environment variable vLLM reads for the XLA persistent cache directory ({@code
   * vllm/envs.py}: "Path to the XLA persistent cache directory. Only used for XLA devices such as
   * TPUs").
   */
  String XLA_CACHE_ENV = "VLLM_XLA_CACHE_PATH";

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

  /** The Hugging Face id of the model. */
  String modelId();

  /** Where the weights come from; default the Hub under {@link #modelId()}. */
  @Value.Default
  default ModelSource source() {
    return HuggingFaceSource.builder().modelId(modelId()).build();
  }

  /** The container image; default {@link #DEFAULT_IMAGE}. */
  @Value.Default
  default String image() {
    return DEFAULT_IMAGE;
  }

  /** The TPU slice: accelerator, chips and topology. */
  AcceleratorPlacement placement();

  /** The number of replicas; default 1. */
  @Value.Default
  default int replicas() {
    return 1;
  }

  /** vLLM's tensor parallelism; default the chips of the slice. */
  @Value.Default
  default int tensorParallelism() {
    return placement().devices();
  }

  /** The longest sequence served ({@link VllmFlags#MAX_MODEL_LEN}); default the model's own. */
  OptionalInt maxModelLen();

  /** {@code --max-num-batched-tokens}: tokens per step, the main TPU throughput knob. */
  OptionalInt maxNumBatchedTokens();

  /** {@code --max-num-seqs}; default vLLM's. */
  OptionalInt maxNumSeqs();

  /** The XLA compilation cache; default a 20Gi pod-local cache. */
  @Value.Default
  default XlaCache xlaCache() {
    return XlaCache.local("20Gi");
  }

  /** The Google service account the pods act as (Workload Identity), if any. */
  Optional<String> googleServiceAccount();

  /**
   * The cluster project's Workload Identity pool, if the server's bucket access is to be granted to
   * its Kubernetes service account directly; see {@link #bucketGrants()}.
   */
  Optional<WorkloadIdentityPool> workloadIdentity();

  /**
   * Returns the least-privilege grants the server needs, for the identity its pods act as (the
   * {@link #googleServiceAccount()}, else the Kubernetes service account's Workload Identity
   * principal): read-only ({@link BucketGrant#OBJECT_VIEWER}) on the model's bucket, and read-write
   * on objects ({@link BucketGrant#OBJECT_USER}) on the XLA cache's bucket when the cache is in
   * Cloud Storage. Rendered as Config Connector {@code IAMPolicyMember} objects.
   *
   * @return the grants, possibly empty
   */
  default List<BucketGrant> bucketGrants() {
    Optional<String> member =
        ServerIdentity.member(googleServiceAccount(), workloadIdentity(), namespace(), name());
    if (member.isEmpty()) {
      return List.of();
    }
    List<BucketGrant> grants = new ArrayList<>();
    source()
        .gcsLocation()
        .ifPresent(l -> grants.add(BucketGrant.objectViewer(l.bucket(), member.get())));
    xlaCache().bucket().ifPresent(b -> grants.add(BucketGrant.objectUser(b, member.get())));
    return List.copyOf(grants);
  }

  /** Returns the model's architecture from the catalog, when known. */
  default Optional<ModelArchitecture> architecture() {
    return ModelCatalog.find(modelId()).map(CatalogEntry::architecture);
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
    ContainerImages.check(v, "image", image());
    v.require(Pods.isDns1035(name(), 55), "name", name(), "must be a DNS-1035 label of at most 55");
    v.require(Pods.isDns1123(namespace()), "namespace", namespace(), "must be a DNS-1123 label");
    source().validate(v.at("source"));
    xlaCache().validate(v.at("xlaCache"));
    boolean tpu =
        AcceleratorCatalog.standard()
            .byLabel(placement().accelerator())
            .map(t -> t.isTpu())
            .orElse(false);
    v.require(
        tpu,
        "placement.accelerator",
        placement().accelerator(),
        "must be a TPU label such as tpu-v6e-slice; use VllmServer for GPUs");
    int sliceChips =
        placement().tpuTopology().map(VllmTpuServer::chips).orElse(placement().devices());
    v.require(
        sliceChips == placement().devices(),
        "placement.tpuTopology",
        placement().tpuTopology().orElse(""),
        "spans more than one VM (" + sliceChips + " chips); use MultiHostServer");
    v.require(
        tensorParallelism() == placement().devices(),
        "tensorParallelism",
        tensorParallelism(),
        "must equal the " + placement().devices() + " TPU chips of the slice");
    v.require(replicas() >= 0, "replicas", replicas(), "must be zero or more");
    architecture()
        .ifPresent(
            a ->
                maxModelLen()
                    .ifPresent(
                        len ->
                            v.require(
                                len >= 1 && len <= a.maxPositionEmbeddings(),
                                "maxModelLen",
                                len,
                                "must be between 1 and the model's max_position_embeddings, "
                                    + a.maxPositionEmbeddings())));
    maxNumBatchedTokens()
        .ifPresent(n -> v.require(n >= 1, "maxNumBatchedTokens", n, "must be at least 1"));
    maxNumSeqs().ifPresent(n -> v.require(n >= 1, "maxNumSeqs", n, "must be at least 1"));
    v.throwIfErrors();
  }

  /**
   * Renders the ServiceAccount, Deployment, Service and PodDisruptionBudget.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "VllmTpuServer";
  }

  @Override
  default RenderedSet render() {
    ServerPod pod = VllmTpuRendering.serverPod(this);
    return pod.render(
        replicas(),
        VllmTpuRendering.facts(this, pod, "apps/v1", "Deployment", tensorParallelism()).build());
  }

  /**
   * Returns the server's pod template, for embedding it in a LeaderWorkerSet. A fresh object on
   * every call.
   *
   * @return the pod template
   */
  default PodTemplateSpec podTemplate() {
    return VllmTpuRendering.serverPod(this).template(false, null);
  }

  /**
   * Returns the chips of a topology such as {@code 2x4} or {@code 2x2x2}.
   *
   * @param topology the topology
   * @return the product of its dimensions
   */
  static int chips(String topology) {
    int product = 1;
    for (String d : topology.split("x")) {
      product *= Integer.parseInt(d);
    }
    return product;
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableVllmTpuServer.Builder {
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
