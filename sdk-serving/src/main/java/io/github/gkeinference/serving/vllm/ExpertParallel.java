package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Wide expert parallelism for a mixture-of-experts model: {@link #dataParallelism()} vLLM engines
 * (data-parallel ranks) of {@link #tensorParallelism()} GPUs each run attention on their own
 * requests, while the MoE layers split the routed experts over all {@code dataParallelism *
 * tensorParallelism} GPUs (vLLM's {@code --enable-expert-parallel}; "The expert layers will by
 * default form a (DP x TP) sized tensor parallel group. To enable expert parallelism, include the
 * --enable-expert-parallel CLI arg", docs.vllm.ai/en/v0.12.0/serving/data_parallel_deployment/).
 *
 * <p>Set on a {@code MultiHostServer}, every pod of a group runs its machine's share of the ranks
 * as llm-d's wide-EP guide does (llm-d/llm-d {@code
 * guides/wide-ep-lws/manifests/modelserver/base/decode.yaml} @ 3318b75): {@code
 * --data-parallel-size}, {@code --data-parallel-size-local}, {@code --data-parallel-address} (the
 * group's leader), {@code --data-parallel-rpc-port}, {@code --data-parallel-start-rank} from the
 * pod's worker index, {@code --data-parallel-hybrid-lb} (each pod balances its own ranks and serves
 * the API; the Service and InferencePool spread requests over the pods) and {@code
 * --enable-expert-parallel}.
 *
 * <pre>{@code
 * ExpertParallel ep = ExpertParallel.builder()
 *     .dataParallelism(16)                          // 2 machines x 8 GPUs, one GPU per rank
 *     .all2allBackend("deepep_low_latency")
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableExpertParallel.class)
public interface ExpertParallel {
  /**
   * The port the ranks coordinate on, as llm-d's wide-EP guide sets it ({@code
   * --data-parallel-rpc-port 5555}); vLLM's own default is 29550.
   */
  int DEFAULT_RPC_PORT = 5555;

  /**
   * The all-to-all backends the SDK accepts, those vLLM's expert-parallel guide documents in v0.12
   * and later (docs.vllm.ai/en/v0.12.0/serving/expert_parallel_deployment/, "Backend Selection
   * Guide"): {@code allgather_reducescatter} (vLLM's default, any EP + DP layout), {@code
   * deepep_high_throughput} (multi-node prefill) and {@code deepep_low_latency} (multi-node decode;
   * the DeepEP kernels must be in the image).
   */
  List<String> ALL2ALL_BACKENDS =
      List.of("allgather_reducescatter", "deepep_high_throughput", "deepep_low_latency");

  /** vLLM's default all-to-all backend (the expert-parallel guide's "Default backend"). */
  String DEFAULT_ALL2ALL_BACKEND = "allgather_reducescatter";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Data-parallel ranks of one group (vLLM's {@code --data-parallel-size}); at least 2. */
  int dataParallelism();

  /** GPUs of one rank (vLLM's {@code --tensor-parallel-size}); default 1, as in llm-d's guide. */
  @Value.Default
  default int tensorParallelism() {
    return 1;
  }

  /**
   * The MoE all-to-all backend, one of {@link #ALL2ALL_BACKENDS}; default {@link
   * #DEFAULT_ALL2ALL_BACKEND}. Rendered as {@code --all2all-backend} for vLLM 0.12 and later and as
   * the {@code VLLM_ALL2ALL_BACKEND} variable before (the release table {@code
   * core.server.VllmReleases}).
   */
  @Value.Default
  default String all2allBackend() {
    return DEFAULT_ALL2ALL_BACKEND;
  }

  /** The port the ranks coordinate on; default {@link #DEFAULT_RPC_PORT}. */
  @Value.Default
  default int rpcPort() {
    return DEFAULT_RPC_PORT;
  }

  /**
   * Redundant experts of the expert-parallel load balancer; default 0 (no load balancer). Above 0
   * the server renders {@code --enable-eplb} and {@code --eplb-config} with {@code
   * num_redundant_experts}; the routed experts plus these must then divide evenly over the
   * expert-parallel devices (vLLM: "EPLB currently only supports even distribution of experts
   * across ranks", vllm/model_executor/layers/fused_moe/layer.py).
   */
  @Value.Default
  default int redundantExperts() {
    return 0;
  }

  /** Returns the devices the routed experts are split over: data x tensor parallelism. */
  default int expertParallelism() {
    return dataParallelism() * tensorParallelism();
  }

  /** Returns the {@code --eplb-config} JSON of {@link #redundantExperts()}. */
  default String eplbConfigJson() {
    return "{\"num_redundant_experts\":" + redundantExperts() + "}";
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
        dataParallelism() >= 2,
        "dataParallelism",
        dataParallelism(),
        "must be at least 2: expert parallelism spreads the experts over several ranks");
    v.require(
        tensorParallelism() >= 1, "tensorParallelism", tensorParallelism(), "must be at least 1");
    v.require(
        ALL2ALL_BACKENDS.contains(all2allBackend()),
        "all2allBackend",
        all2allBackend(),
        "must be one of " + ALL2ALL_BACKENDS);
    v.require(
        rpcPort() >= 1 && rpcPort() <= 65535, "rpcPort", rpcPort(), "must be a port (1-65535)");
    v.require(
        redundantExperts() >= 0, "redundantExperts", redundantExperts(), "must be zero or more");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableExpertParallel.Builder {}
}
