package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.plan.DraftModel;
import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.LoraSlots;
import io.github.gkeinference.accelerators.scheduling.AcceleratorPlacement;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.model.CatalogEntry;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Secrets;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.gateway.epp.EppServerChecks;
import io.github.gkeinference.serving.gateway.epp.PrecisePrefixRouting;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import io.github.gkeinference.serving.vllm.QuantizationMethods;
import io.github.gkeinference.serving.vllm.Speculative;
import io.github.gkeinference.serving.vllm.StartupBudget;
import io.github.gkeinference.serving.vllm.VllmFlags;
import io.github.gkeinference.serving.vllm.VllmTelemetry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A vLLM OpenAI-compatible server for one model on NVIDIA GPUs on GKE.
 *
 * <p>Renders a ServiceAccount (with the Workload Identity annotation when a Google service account
 * is given; none when an existing one is named), a Config Connector IAMPolicyMember that grants it
 * read-only access to the model's bucket when its identity is known ({@link #bucketGrants()}), a
 * Deployment, a Service with an {@code http} and a {@code metrics} port and a PodDisruptionBudget.
 * The pod has a startup probe whose budget comes from the model's size and how it is loaded,
 * readiness and liveness on {@code /health}, a size-limited {@code /dev/shm}, CPU and memory
 * requests from the accelerator's machine type (or the stated ones), zone spreading and a
 * one-at-a-time rolling update whenever it may run more than one replica ({@link #maxReplicas()}),
 * and a restricted security context. Parallelism must use exactly the GPUs requested.
 *
 * <pre>{@code
 * RenderedSet bundle = VllmServer.builder()
 *     .name("llama-3-1-8b")
 *     .namespace("inference")
 *     .modelId("meta-llama/Llama-3.1-8B-Instruct")
 *     .source(GcsFuseSource.builder()
 *         .location(GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct"))
 *         .build())
 *     .placement(p -> p.accelerator("nvidia-l4").devices(1))
 *     .maxModelLen(8192)
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableVllmServer.class)
public interface VllmServer extends RenderableSpec {
  /**
   * The default image: the vLLM release the reference architecture pins for GPUs
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm/base/deployment.yaml,
   * {@code docker.io/vllm/vllm-openai:v0.11.2}).
   */
  String DEFAULT_IMAGE = "vllm/vllm-openai:v0.11.2";

  /** vLLM's default HTTP port for the OpenAI-compatible API and {@code /metrics}. */
  int DEFAULT_PORT = 8000;

  /** The Service port that exposes {@code /metrics} under the name {@code metrics}. */
  int METRICS_SERVICE_PORT = 9090;

  /**
   * The default {@code /dev/shm} size: NCCL and vLLM's multi-process executor use shared memory;
   * the llm-d model server of the reference architecture limits it to 20Gi and its auto-tuner to
   * 16Gi (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm-auto-tuning;
   * GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/online-inference-gpu/vllm-spec-decoding).
   * 16Gi is the smaller of the two.
   */
  String DEFAULT_SHM_SIZE = "16Gi";

  /**
   * The least host memory the SDK accepts for a vLLM server container: 8 GiB. An SDK assumption
   * (the engine process, tokenizer and CUDA context), not a measured vLLM requirement.
   */
  long MIN_HOST_MEMORY_BYTES = 8L << 30;

  /**
   * The user and group the vLLM container runs as unless {@link #runAsRoot()}: the {@code
   * vllm/vllm-openai} image sets no {@code USER} (vLLM {@code docker/Dockerfile}, stage {@code
   * vllm-openai}, v0.11.2) and so runs as root; its Python packages are installed system-wide and
   * readable by any user, and the only folders vLLM writes are its caches, which the pod gives it
   * under {@link #HOME}. 1000 is the SDK's choice: the image has no user entry for it, so {@code
   * HOME} and {@code USER} are set explicitly.
   */
  long USER_ID = 1000L;

  /**
   * The non-root user's home, an {@code emptyDir}: {@code HOME}, {@code XDG_CACHE_HOME} ({@code
   * HOME/.cache}) and under it the Hugging Face ({@code HF_HOME}), vLLM ({@code VLLM_CACHE_ROOT}),
   * torch inductor ({@code TORCHINDUCTOR_CACHE_DIR}) and Triton ({@code TRITON_CACHE_DIR}) caches.
   */
  String HOME = "/home/vllm";

  /** The Workload Identity annotation on a Kubernetes service account. */
  String WORKLOAD_IDENTITY_ANNOTATION = "iam.gke.io/gcp-service-account";

  /** KV cache data types vLLM accepts ({@code --kv-cache-dtype}, vllm/config/cache.py). */
  Set<String> KV_CACHE_DTYPES = Set.of("auto", "bfloat16", "fp8", "fp8_e4m3", "fp8_e5m2");

  /** Block sizes vLLM accepts on CUDA ({@code --block-size}). */
  Set<Integer> BLOCK_SIZES = Set.of(8, 16, 32, 64, 128);

  /** Flags the spec models; {@link #extraArgs()} may not repeat them. */
  Set<String> MODELLED_FLAGS = VllmFlags.MODELLED;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The name of the Deployment, Service and ServiceAccount; a DNS-1035 label of at most 55. */
  String name();

  /** The namespace; default {@code default}. */
  @Value.Default
  default String namespace() {
    return "default";
  }

  /** The Hugging Face id of the model, for example {@code meta-llama/Llama-3.1-8B-Instruct}. */
  String modelId();

  /** Where the weights come from; default the Hub under {@link #modelId()} without a token. */
  @Value.Default
  default ModelSource source() {
    // An invalid id is reported once, at "modelId", by check(); a stand-in source lets build()
    // reach check() so that every other violation is reported with it. No spec with an invalid
    // id is ever built, so the stand-in never escapes.
    return HuggingFaceSource.builder()
        .modelId(isHubId(modelId()) ? modelId() : "invalid/model-id")
        .build();
  }

  private static boolean isHubId(String id) {
    return HuggingFaceSource.MODEL_ID.matcher(id).matches() && id.length() <= 96;
  }

  /** The model name clients send; default {@link #modelId()}. */
  Optional<String> servedModelName();

  /** The container image; default {@link #DEFAULT_IMAGE}. */
  @Value.Default
  default String image() {
    return DEFAULT_IMAGE;
  }

  /** A digest ({@code sha256:...}) that pins the image; appended as {@code image@digest}. */
  Optional<String> imageDigest();

  /** The image pull policies Kubernetes accepts. */
  Set<String> IMAGE_PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

  /**
   * The container's {@code imagePullPolicy}, one of {@link #IMAGE_PULL_POLICIES}; default {@code
   * IfNotPresent}: a tagged vLLM image is tens of GB, and a node that has it need not pull it
   * again.
   */
  @Value.Default
  default String imagePullPolicy() {
    return "IfNotPresent";
  }

  /**
   * The server container's CPU request, a Kubernetes quantity such as {@code 8} or {@code 7500m};
   * default the pod's share of what its node leaves after system pods and sidecars ({@code
   * PodScheduling}). At most what one node of the machine type leaves.
   */
  Optional<String> cpuRequest();

  /**
   * The server container's memory request, a quantity such as {@code 64Gi}; default, like {@link
   * #cpuRequest()}, the pod's share of the node. At most what one node of the machine type leaves.
   */
  Optional<String> memoryRequest();

  /** A CPU limit; default none, so that the server is never throttled. At least the request. */
  Optional<String> cpuLimit();

  /** The memory limit; default the memory request. At least the request. */
  Optional<String> memoryLimit();

  /** Where each replica runs: the GPU type and how many GPUs it uses. */
  AcceleratorPlacement placement();

  /** The number of replicas; default 1. */
  @Value.Default
  default int replicas() {
    return 1;
  }

  /**
   * The most replicas an autoscaler may scale the server to (the HPA's {@code maxReplicas});
   * default {@link #replicas()}, for a fixed replica count. Above one, the Deployment rolls one
   * replica at a time without surging ({@code RollingUpdate}, {@code maxSurge: 0}, {@code
   * maxUnavailable: 1}) and spreads over zones; only a fixed single replica is replaced with {@code
   * Recreate}.
   */
  OptionalInt maxReplicas();

  /** Returns {@link #maxReplicas()}, or {@link #replicas()} without an autoscaler. */
  default int resolvedMaxReplicas() {
    return maxReplicas().orElse(replicas());
  }

  /** vLLM's tensor parallelism; default the GPUs per replica divided by the pipeline stages. */
  @Value.Default
  default int tensorParallelism() {
    return Math.max(1, placement().devices() / Math.max(1, pipelineParallelism()));
  }

  /** vLLM's pipeline parallelism; default 1. */
  @Value.Default
  default int pipelineParallelism() {
    return 1;
  }

  /**
   * The longest sequence served ({@link VllmFlags#MAX_MODEL_LEN}); default the model's own limit.
   */
  OptionalInt maxModelLen();

  /**
   * {@code --gpu-memory-utilization}, above 0 and at most 1; default the image's vLLM release's own
   * (not rendered; {@link #vllmVersion()} says which release that is).
   */
  OptionalDouble gpuMemoryUtilization();

  /** {@code --max-num-seqs}: concurrent sequences; default vLLM's. */
  OptionalInt maxNumSeqs();

  /** {@code --max-num-batched-tokens}; default vLLM's. */
  OptionalInt maxNumBatchedTokens();

  /** {@code --kv-cache-dtype}, one of {@link #KV_CACHE_DTYPES}; default vLLM's ({@code auto}). */
  Optional<String> kvCacheDtype();

  /** Whether prefix caching is on; default vLLM's (on in the v1 engine). */
  Optional<Boolean> prefixCaching();

  /** {@code --block-size}, one of {@link #BLOCK_SIZES}; default vLLM's. */
  OptionalInt blockSize();

  /**
   * Precise prefix-cache routing: when set, the server publishes KV events ({@code
   * --kv-events-config} on the settings' port, topic {@code kv@$(POD_IP)@<model>}), uses the
   * settings' block size and sets {@code PYTHONHASHSEED} to their hash seed, so that the endpoint
   * picker configured with {@code EndpointPickerConfig.precisePrefix} of the same settings
   * recomputes the server's block hashes. Default none.
   */
  Optional<PrecisePrefixRouting> precisePrefixRouting();

  /** {@code --quantization}, for example {@code fp8} or {@code awq}; default none. */
  Optional<String> quantization();

  /** Speculative decoding; default none. */
  Optional<Speculative> speculative();

  /**
   * {@code --kv-offloading-size}: GiB of CPU memory for KV cache offloading, summed over TP ranks,
   * with the native backend (vllm/config/cache.py {@code kv_offloading_size}); needs a vLLM release
   * that has the flag. The pod's memory request must cover it.
   */
  OptionalInt kvOffloadingGib();

  /**
   * LoRA adapters loaded at start-up ({@code --enable-lora}, {@code --lora-modules}): bucket
   * adapters are mounted read-only at {@code /adapters/<name>}, Hub adapters downloaded by vLLM.
   */
  List<LoraAdapter> loraAdapters();

  /** {@code --max-lora-rank}, one of {@code LoraSlots.RANKS}; required with adapters. */
  OptionalInt maxLoraRank();

  /** {@code --max-loras}: adapters in one batch, at least 1; default vLLM's (1). */
  OptionalInt maxLoras();

  /** {@code --max-cpu-loras}: adapters cached in CPU memory, at least maxLoras; default vLLM's. */
  OptionalInt maxCpuLoras();

  /**
   * Returns the LoRA slots the planner counts ({@code FitRequest.lora}), when adapters are listed.
   *
   * @return the slots, or empty without adapters
   */
  default Optional<LoraSlots> loraSlots() {
    if (loraAdapters().isEmpty() || maxLoraRank().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        LoraSlots.of(maxLoras().orElse(LoraSlots.DEFAULT_MAX_LORAS), maxLoraRank().getAsInt()));
  }

  /**
   * Returns the draft model the planner counts ({@code FitRequest.draft}), when speculation uses a
   * draft model or EAGLE head the SDK's catalog knows ({@link Speculative#resolvedModelId()}).
   *
   * @return the draft, or empty (ngram, no speculation, or a draft the catalog does not know)
   */
  default Optional<DraftModel> draftModel() {
    return speculative()
        .filter(s -> !s.method().equals("ngram"))
        .flatMap(
            s ->
                s.resolvedModelId()
                    .flatMap(ModelCatalog::find)
                    .map(
                        e ->
                            DraftModel.builder()
                                .architecture(e.architecture())
                                .tensorParallelism(s.draftTensorParallelism())
                                .build()));
  }

  /**
   * Arguments appended verbatim; rejected when they repeat a modelled flag or name a flag the
   * image's vLLM release does not accept (the release table, {@link VllmReleases}).
   */
  List<String> extraArgs();

  /**
   * Structured logs and OpenTelemetry tracing; default none. Each option is checked against the
   * image's release: JSON logs need a release with {@code --logging-config}.
   */
  Optional<VllmTelemetry> telemetry();

  /** Extra environment variables; values use {@code $(VAR)}, never {@code ${VAR}}. */
  Map<String, String> env();

  /**
   * The Google service account the pods act as (Workload Identity with impersonation), if any; the
   * rendered Kubernetes service account carries the {@link #WORKLOAD_IDENTITY_ANNOTATION}, and the
   * model bucket's read grant ({@link #bucketGrants()}) names this account.
   */
  Optional<String> googleServiceAccount();

  /**
   * The cluster project's Workload Identity pool, if the server's bucket access is to be granted to
   * its Kubernetes service account directly (the {@code principal://} of {@link
   * WorkloadIdentityPool#principal}); see {@link #bucketGrants()}.
   */
  Optional<WorkloadIdentityPool> workloadIdentity();

  /**
   * An existing Kubernetes service account the pods run as; none is rendered and the bucket grant
   * names this one. Default: a service account named {@link #name()}, rendered with the server.
   */
  Optional<String> serviceAccountName();

  /** Returns the Kubernetes service account the pods run as. */
  default String resolvedServiceAccountName() {
    return serviceAccountName().orElse(name());
  }

  /**
   * Returns the least-privilege grants the server needs: read-only access ({@link
   * BucketGrant#OBJECT_VIEWER}) to exactly the bucket its weights come from (and those its bucket
   * LoRA adapters and draft model come from), for the identity its pods act as: the {@link
   * #googleServiceAccount()} when set, else the Kubernetes service account's Workload Identity
   * principal when {@link #workloadIdentity()} is set. Empty when the source is not in Cloud
   * Storage or neither identity is known. Rendered as Config Connector {@code IAMPolicyMember}
   * objects; apply them without GitOps with {@code BucketIamProvisioner}.
   *
   * @return the grants, possibly empty
   */
  default List<BucketGrant> bucketGrants() {
    Optional<String> member =
        ServerIdentity.member(
            googleServiceAccount(), workloadIdentity(), namespace(), resolvedServiceAccountName());
    if (member.isEmpty()) {
      return List.of();
    }
    // the model's bucket, then those of bucket adapters and drafts, each once
    Set<String> buckets = new LinkedHashSet<>();
    source().gcsLocation().ifPresent(l -> buckets.add(l.bucket()));
    AdapterVolumes.of(this).locations().forEach(l -> buckets.add(l.bucket()));
    return buckets.stream().map(b -> BucketGrant.objectViewer(b, member.get())).toList();
  }

  /** The {@code /dev/shm} size limit; default {@link #DEFAULT_SHM_SIZE}. */
  @Value.Default
  default String shmSize() {
    return DEFAULT_SHM_SIZE;
  }

  /**
   * Whether the vLLM container runs as root, the image's default; default {@code false}: it runs as
   * {@link #USER_ID} with its caches in an {@code emptyDir} at {@link #HOME}, no privilege
   * escalation, every capability dropped and the runtime's default seccomp profile. Set it only for
   * an image that must write outside those caches as root (for example one that installs packages
   * at start-up); the rest of the restricted security context stays.
   */
  @Value.Default
  default boolean runAsRoot() {
    return false;
  }

  /** The startup probe's budget in seconds; default {@link StartupBudget#budgetSeconds()}. */
  OptionalInt startupBudgetSeconds();

  /**
   * Returns the model's architecture from the SDK's catalog, when the model is in it.
   *
   * @return the architecture, or empty for models the catalog does not know
   */
  default Optional<ModelArchitecture> architecture() {
    return ModelCatalog.find(modelId()).map(CatalogEntry::architecture);
  }

  /**
   * Returns the start-up estimate, when the model's size is known.
   *
   * @return the estimate, or empty
   */
  default Optional<StartupBudget> startupEstimate() {
    return architecture().map(a -> StartupBudget.of(source().startupEstimate(a.weightBytes())));
  }

  /**
   * Returns the vLLM release the image runs, read from its tag, for the defaults that changed
   * between releases; plan with it ({@code FitRequest.vllmVersion}) when the image is not the
   * default.
   *
   * @return the release, or empty when the tag names none ({@code latest})
   */
  default Optional<VllmVersion> vllmVersion() {
    return VllmVersion.fromImage(image());
  }

  /** Returns the labels that select this server's pods; use them for an InferencePool. */
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
    v.require(
        Pods.isDns1035(name(), 55),
        "name",
        name(),
        "must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter) of"
            + " at most 55 characters");
    v.require(Pods.isDns1123(namespace()), "namespace", namespace(), "must be a DNS-1123 label");
    v.require(
        isHubId(modelId()),
        "modelId",
        modelId(),
        "must be a Hugging Face repository id, owner/name, at most 96 characters");
    source().validate(v.at("source"));
    v.require(
        !isHubId(modelId())
            || !(source() instanceof HuggingFaceSource hf)
            || hf.modelId().equals(modelId()),
        "source.modelId",
        source().modelArgument(),
        "must equal modelId");
    ContainerImages.check(v, "image", image());
    imageDigest()
        .ifPresent(
            d ->
                v.require(
                    d.matches("sha256:[0-9a-f]{64}"),
                    "imageDigest",
                    d,
                    "must be sha256: followed by 64 hex digits"));
    boolean gpu =
        AcceleratorCatalog.standard()
            .byLabel(placement().accelerator())
            .map(t -> !t.isTpu())
            .orElse(false);
    v.require(
        gpu,
        "placement.accelerator",
        placement().accelerator(),
        "must be an NVIDIA GPU label; use VllmTpuServer for TPUs");
    v.require(replicas() >= 0, "replicas", replicas(), "must be zero or more");
    maxReplicas()
        .ifPresent(
            m ->
                v.require(
                    m >= replicas(),
                    "maxReplicas",
                    m,
                    "must be at least replicas (" + replicas() + ")"));
    v.require(tensorParallelism() >= 1, "tensorParallelism", tensorParallelism(), "must be >= 1");
    v.require(
        pipelineParallelism() >= 1, "pipelineParallelism", pipelineParallelism(), "must be >= 1");
    v.require(
        tensorParallelism() * pipelineParallelism() == placement().devices(),
        "tensorParallelism",
        tensorParallelism() + " x " + pipelineParallelism(),
        "tensor x pipeline parallelism must equal the "
            + placement().devices()
            + " GPU(s) of placement.devices");
    Optional<ModelArchitecture> arch = architecture();
    maxModelLen()
        .ifPresent(
            len -> {
              v.require(len >= 1, "maxModelLen", len, "must be at least 1");
              arch.ifPresent(
                  a ->
                      v.require(
                          len <= a.maxPositionEmbeddings(),
                          "maxModelLen",
                          len,
                          "must not exceed the model's max_position_embeddings, "
                              + a.maxPositionEmbeddings()));
            });
    gpuMemoryUtilization()
        .ifPresent(
            u ->
                v.require(
                    u > 0 && u <= 1, "gpuMemoryUtilization", u, "must be above 0 and at most 1"));
    maxNumSeqs().ifPresent(n -> v.require(n >= 1, "maxNumSeqs", n, "must be at least 1"));
    maxNumBatchedTokens()
        .ifPresent(n -> v.require(n >= 1, "maxNumBatchedTokens", n, "must be at least 1"));
    kvCacheDtype()
        .ifPresent(
            d ->
                v.require(
                    KV_CACHE_DTYPES.contains(d),
                    "kvCacheDtype",
                    d,
                    "must be one of auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2"));
    blockSize()
        .ifPresent(
            b ->
                v.require(BLOCK_SIZES.contains(b), "blockSize", b, "must be 8, 16, 32, 64 or 128"));
    precisePrefixRouting()
        .ifPresent(
            r -> {
              v.require(
                  blockSize().isEmpty() || blockSize().getAsInt() == r.blockSize(),
                  "blockSize",
                  blockSize().orElse(0),
                  "must equal precisePrefixRouting.blockSize ("
                      + r.blockSize()
                      + ") or be left unset");
              v.require(
                  BLOCK_SIZES.contains(r.blockSize()),
                  "precisePrefixRouting.blockSize",
                  r.blockSize(),
                  "must be 8, 16, 32, 64 or 128");
              v.require(
                  !env().containsKey(EppServerChecks.HASH_SEED_ENV)
                      || env().get(EppServerChecks.HASH_SEED_ENV).equals(r.hashSeed()),
                  "env." + EppServerChecks.HASH_SEED_ENV,
                  env().get(EppServerChecks.HASH_SEED_ENV),
                  "must equal precisePrefixRouting.hashSeed or be left unset");
              v.require(
                  !prefixCaching().equals(Optional.of(false)),
                  "prefixCaching",
                  false,
                  "must not be off with precisePrefixRouting: the picker routes to cached prefixes");
            });
    quantization()
        .ifPresent(
            q ->
                v.require(
                    QuantizationMethods.ALL.contains(q),
                    "quantization",
                    q,
                    "must be a vLLM quantization method such as fp8, awq, gptq or"
                        + " compressed-tensors (QuantizationMethods.ALL)"));
    kvOffloadingGib().ifPresent(g -> v.require(g >= 1, "kvOffloadingGib", g, "must be at least 1"));
    AdapterVolumes.check(v, this);
    for (int i = 0; i < extraArgs().size(); i++) {
      String arg = extraArgs().get(i);
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      v.require(
          !MODELLED_FLAGS.contains(flag),
          "extraArgs[" + i + "]",
          arg,
          "repeats a flag the spec models; set the matching attribute instead");
      Secrets.requireNoLiteral(v, "extraArgs[" + i + "]", arg);
    }
    servedModelName().ifPresent(n -> Secrets.requireNoLiteral(v, "servedModelName", n));
    env()
        .forEach(
            (k, val) -> {
              v.require(
                  k.matches("[A-Za-z_][A-Za-z0-9_]*"), "env." + k, k, "must be a C identifier");
              v.require(
                  !val.contains("${"),
                  "env." + k,
                  val,
                  "uses ${...}, which Kubernetes never expands; write $(VAR)");
              if (!k.equals("HF_TOKEN")) {
                Secrets.requireNoLiteral(v, "env." + k, val);
              }
              v.require(
                  !k.equals("HF_TOKEN"),
                  "env." + k,
                  null,
                  "must come from a Secret: set source to a HuggingFaceSource whose token is a"
                      + " Secret reference (in a spec file, source: {token: {name, key}})");
            });
    v.require(
        shmSize().matches("[0-9]+(Mi|Gi)"),
        "shmSize",
        shmSize(),
        "must be a quantity in Mi or Gi such as 16Gi");
    googleServiceAccount()
        .ifPresent(g -> GcpNames.checkServiceAccountEmail(v, "googleServiceAccount", g));
    serviceAccountName()
        .ifPresent(
            sa -> {
              v.require(
                  KubernetesNames.isDns1123Subdomain(sa),
                  "serviceAccountName",
                  sa,
                  "must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')");
              v.require(
                  googleServiceAccount().isEmpty(),
                  "googleServiceAccount",
                  googleServiceAccount().orElse(null),
                  "cannot be set with an existing serviceAccountName: annotate that account with "
                      + WORKLOAD_IDENTITY_ANNOTATION
                      + " instead");
            });
    startupBudgetSeconds()
        .ifPresent(
            s -> v.require(s >= 60, "startupBudgetSeconds", s, "must be at least 60 seconds"));
    v.require(
        IMAGE_PULL_POLICIES.contains(imagePullPolicy()),
        "imagePullPolicy",
        imagePullPolicy(),
        "must be Always, IfNotPresent or Never");
    releaseChecks(v);
    ServerResources.check(v, this);
    if (!v.hasErrors()) {
      long memory = new VllmRendering(this).resources().memoryRequestBytes();
      if (memoryRequest().isPresent()) {
        v.require(
            memory >= MIN_HOST_MEMORY_BYTES,
            "memoryRequest",
            memoryRequest().get(),
            "must be at least 8Gi for the vLLM engine, its tokenizer and CUDA context");
      } else {
        v.require(
            memory >= MIN_HOST_MEMORY_BYTES,
            "placement.machineType",
            placement().machineType().orElse("(smallest with " + placement().devices() + " GPUs)"),
            "leaves "
                + (memory >> 20)
                + " MiB for the server after the GCS FUSE sidecar and its RAM file cache; pick a"
                + " machine type with more memory or keep the cache out of RAM");
      }
    }
    v.throwIfErrors();
  }

  /**
   * Warns when the image's tag names no vLLM release ({@code latest}, a digest only): its flags,
   * defaults and metric names cannot then be checked against the release table.
   *
   * @param violations where the findings go
   */
  @Override
  default void validate(Violations violations) {
    if (VllmReleases.forImage(image()).isEmpty()) {
      violations.warning(
          "image",
          image(),
          "names no vLLM release, so its flags, defaults and metric names cannot be checked; pin a"
              + " tag such as "
              + DEFAULT_IMAGE);
    }
  }

  /**
   * Reports every flag the server would render, and every extra argument, that the image's vLLM
   * release does not accept, at the path of the attribute that sets it. An image whose tag names no
   * release is not checked here; {@link #validate(Violations)} warns about it.
   */
  private void releaseChecks(Violations v) {
    Optional<VllmRelease> release = VllmReleases.forImage(image());
    if (release.isEmpty()) {
      return;
    }
    VllmRelease r = release.get();
    for (Map.Entry<String, String> e : modelledFlags()) {
      r.unsupported(e.getValue()).ifPresent(why -> v.error(e.getKey(), e.getValue(), why));
    }
    telemetry().ifPresent(t -> t.validate(v.at("telemetry"), r));
    for (int i = 0; i < extraArgs().size(); i++) {
      String arg = extraArgs().get(i);
      String path = "extraArgs[" + i + "]";
      if (!MODELLED_FLAGS.contains(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg)) {
        // a modelled flag is already reported once, as a repeat
        r.unsupported(arg).ifPresent(why -> v.error(path, arg, why));
      }
    }
  }

  /**
   * Returns the modelled flags this spec renders, each with the path of the attribute that sets it.
   */
  private List<Map.Entry<String, String>> modelledFlags() {
    List<Map.Entry<String, String>> flags = new ArrayList<>();
    flags.add(Map.entry("modelId", VllmFlags.MODEL));
    flags.add(Map.entry("servedModelName", VllmFlags.SERVED_MODEL_NAME));
    flags.add(Map.entry("tensorParallelism", VllmFlags.TENSOR_PARALLEL_SIZE));
    if (pipelineParallelism() > 1) {
      flags.add(Map.entry("pipelineParallelism", VllmFlags.PIPELINE_PARALLEL_SIZE));
    }
    for (String a : source().serverArgs()) {
      flags.add(Map.entry("source", a));
    }
    if (maxModelLen().isPresent()) {
      flags.add(Map.entry("maxModelLen", VllmFlags.MAX_MODEL_LEN));
    }
    if (gpuMemoryUtilization().isPresent()) {
      flags.add(Map.entry("gpuMemoryUtilization", VllmFlags.GPU_MEMORY_UTILIZATION));
    }
    if (maxNumSeqs().isPresent()) {
      flags.add(Map.entry("maxNumSeqs", VllmFlags.MAX_NUM_SEQS));
    }
    if (maxNumBatchedTokens().isPresent()) {
      flags.add(Map.entry("maxNumBatchedTokens", VllmFlags.MAX_NUM_BATCHED_TOKENS));
    }
    if (kvCacheDtype().isPresent()) {
      flags.add(Map.entry("kvCacheDtype", VllmFlags.KV_CACHE_DTYPE));
    }
    prefixCaching()
        .ifPresent(
            on ->
                flags.add(
                    Map.entry(
                        "prefixCaching",
                        on
                            ? VllmFlags.ENABLE_PREFIX_CACHING
                            : VllmFlags.NO_ENABLE_PREFIX_CACHING)));
    if (blockSize().isPresent()) {
      flags.add(Map.entry("blockSize", VllmFlags.BLOCK_SIZE));
    }
    if (quantization().isPresent()) {
      flags.add(Map.entry("quantization", VllmFlags.QUANTIZATION));
    }
    if (speculative().isPresent()) {
      flags.add(Map.entry("speculative", VllmFlags.SPECULATIVE_CONFIG));
    }
    if (kvOffloadingGib().isPresent()) {
      flags.add(Map.entry("kvOffloadingGib", VllmFlags.KV_OFFLOADING_SIZE));
      flags.add(Map.entry("kvOffloadingGib", VllmFlags.KV_OFFLOADING_BACKEND));
    }
    if (!loraAdapters().isEmpty()) {
      flags.add(Map.entry("loraAdapters", VllmFlags.ENABLE_LORA));
      flags.add(Map.entry("loraAdapters", VllmFlags.LORA_MODULES));
    }
    if (maxLoraRank().isPresent()) {
      flags.add(Map.entry("maxLoraRank", VllmFlags.MAX_LORA_RANK));
    }
    return flags;
  }

  /**
   * Renders the ServiceAccount, Deployment, Service and PodDisruptionBudget.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "VllmServer";
  }

  @Override
  default RenderedSet render() {
    return new VllmRendering(this).render();
  }

  /**
   * Returns the facts {@link #render()} attaches to the rendered set for the server's Deployment:
   * its pods, devices, model, modelled flags and metrics endpoint; for a server embedded in a Job,
   * JobSet or LeaderWorkerSet, to be given that workload's identity.
   *
   * @return the facts
   */
  default WorkloadFacts workloadFacts() {
    VllmRendering rendering = new VllmRendering(this);
    return rendering.facts(rendering.serverPod(), "apps/v1", "Deployment").build();
  }

  /**
   * Returns the server's pod template (labels, annotations, the {@code inference-server} container,
   * volumes and scheduling), for embedding the server in a Job, JobSet or LeaderWorkerSet. A fresh
   * object on every call.
   *
   * @return the pod template
   */
  default PodTemplateSpec podTemplate() {
    return new VllmRendering(this).serverPod().template(false, null);
  }

  /** Returns the {@code ai.gke.io/model} label value: the id's last segment, lower case. */
  default String modelLabel() {
    return ModelVolumes.modelLabel(modelId());
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableVllmServer.Builder {
    /**
     * Takes placement, parallelism, memory flags and weight quantization from a feasible fit plan,
     * so that the server requests exactly the devices its parallelism uses and serves the weights
     * in the dtype the plan counted on ({@code --quantization=fp8} for a plan with fp8 weights of a
     * bf16 checkpoint).
     *
     * @param plan the plan, from {@code FitPlanner} or {@code ServingPlanner}
     * @return this builder
     * @throws IllegalStateException when the plan is infeasible
     */
    public Builder plan(FitPlan plan) {
      placement(plan.placement())
          .tensorParallelism(plan.tensorParallelism())
          .pipelineParallelism(plan.pipelineParallelism())
          .maxModelLen(plan.maxModelLen())
          .gpuMemoryUtilization(plan.gpuMemoryUtilization())
          .kvCacheDtype(plan.kvCacheDtype().flag())
          .blockSize(plan.blockSize());
      plan.quantization().ifPresent(this::quantization);
      return this;
    }

    /**
     * Sets the placement built by {@code placement}.
     *
     * @param placement sets the accelerator and device count
     * @return this builder
     */
    public Builder placement(Consumer<AcceleratorPlacement.Builder> placement) {
      AcceleratorPlacement.Builder b = AcceleratorPlacement.builder();
      placement.accept(b);
      return placement(b.build());
    }

    /**
     * Sets the telemetry built by {@code telemetry}.
     *
     * @param telemetry sets the logging and tracing options
     * @return this builder
     */
    public Builder telemetry(Consumer<VllmTelemetry.Builder> telemetry) {
      VllmTelemetry.Builder b = VllmTelemetry.builder();
      telemetry.accept(b);
      return telemetry(b.build());
    }
  }
}
