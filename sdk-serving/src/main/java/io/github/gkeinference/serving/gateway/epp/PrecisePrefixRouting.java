package io.github.gkeinference.serving.gateway.epp;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * What the model servers and the endpoint picker must agree on for precise prefix-cache routing:
 * the model, the KV block size, the block hash seed and the port the servers publish KV events on.
 *
 * <p>vLLM hashes prefix blocks from a seed it reads from {@code PYTHONHASHSEED} (a random seed when
 * unset; vllm-project/vllm v0.11.2 vllm/v1/core/kv_cache_utils.py, {@code init_none_hash}), so the
 * picker can only recompute the servers' block hashes when every server and the picker use the same
 * seed and block size (llm-d/llm-d-inference-scheduler v0.8.0
 * deploy/config/epp-precise-prefix-cache-config.yaml: "must match vLLM block size", "must match
 * vLLM PYTHONHASHSEED env var").
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutablePrecisePrefixRouting.class)
public interface PrecisePrefixRouting {
  /**
   * The port vLLM's ZMQ publisher binds by default ({@code tcp://*:5557}; vllm-project/vllm v0.11.2
   * vllm/config/kv_events.py, {@code KVEventsConfig.endpoint}).
   */
  int DEFAULT_KV_EVENTS_PORT = 5557;

  /**
   * The topic prefix the llm-d scorer filters on: servers publish {@code kv@<pod IP>@<model>}
   * (llm-d/llm-d-inference-scheduler pkg/epp/framework/plugins/scheduling/scorer/
   * preciseprefixcache/README.md at commit 520af478).
   */
  String TOPIC_PREFIX = "kv";

  /**
   * The block size the llm-d sample configures on both sides (v0.8.0
   * deploy/config/epp-precise-prefix-cache-config.yaml: {@code blockSize: 64}).
   */
  int DEFAULT_BLOCK_SIZE = 64;

  /** The hash seed of the llm-d sample configuration (v0.8.0, {@code hashSeed: "42"}). */
  String DEFAULT_HASH_SEED = "42";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The model name the picker's tokenizer loads; the servers' model. */
  String modelName();

  /** The KV block size in tokens; default {@link #DEFAULT_BLOCK_SIZE}. */
  @Value.Default
  default int blockSize() {
    return DEFAULT_BLOCK_SIZE;
  }

  /** The block hash seed ({@code PYTHONHASHSEED}); default {@link #DEFAULT_HASH_SEED}. */
  @Value.Default
  default String hashSeed() {
    return DEFAULT_HASH_SEED;
  }

  /** The servers' KV-events port; default {@link #DEFAULT_KV_EVENTS_PORT}. */
  @Value.Default
  default int kvEventsPort() {
    return DEFAULT_KV_EVENTS_PORT;
  }

  /**
   * Returns vLLM's {@code --kv-events-config} value: enabled, published over ZMQ on every interface
   * at {@link #kvEventsPort()}, on the topic {@code kv@$(POD_IP)@<model>}; the server renders
   * {@code POD_IP} from the pod's status (vllm-project/vllm v0.11.2 vllm/config/kv_events.py:
   * {@code enable_kv_cache_events}, {@code publisher}, {@code endpoint}, {@code topic}).
   *
   * @return the JSON value
   */
  default String kvEventsConfigJson() {
    return "{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\",\"endpoint\":\"tcp://*:"
        + kvEventsPort()
        + "\",\"topic\":\""
        + TOPIC_PREFIX
        + "@$(POD_IP)@"
        + modelName()
        + "\"}";
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(!modelName().isBlank(), "modelName", modelName(), "must not be blank");
    v.require(
        modelName().indexOf('"') < 0 && modelName().indexOf('\\') < 0,
        "modelName",
        modelName(),
        "must not contain quotes or backslashes");
    v.require(
        blockSize() >= 1 && (blockSize() & (blockSize() - 1)) == 0,
        "blockSize",
        blockSize(),
        "must be a power of two");
    v.require(
        hashSeed().matches("[0-9]{1,10}"),
        "hashSeed",
        hashSeed(),
        "must be a decimal integer (PYTHONHASHSEED accepts 0 to 4294967295)");
    v.require(
        kvEventsPort() >= 1024 && kvEventsPort() <= 65_535,
        "kvEventsPort",
        kvEventsPort(),
        "must be between 1024 and 65535 (the servers run as non-root)");
    v.throwIfErrors();
  }

  /** The builder. */
  final class Builder extends ImmutablePrecisePrefixRouting.Builder {}
}
