package io.github.gkeinference.serving.disagg;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Set;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * How prefill and decode servers hand the KV cache over: vLLM's {@code NixlConnector}, as llm-d's
 * routing sidecar expects it ({@code --kv-connector=nixlv2}).
 *
 * <p>Every server gets {@code --kv-transfer-config={"kv_connector":"NixlConnector","kv_role":...}}
 * (vllm-project/vllm v0.11.2 vllm/config/kv_transfer.py {@code KVTransferConfig}) and the NIXL
 * handshake ("side channel") variables: {@code VLLM_NIXL_SIDE_CHANNEL_HOST} set to the pod's IP,
 * since prefill and decode run on different machines, and {@code VLLM_NIXL_SIDE_CHANNEL_PORT}
 * (vllm-project/vllm docs/features/nixl_connector_usage.md, "Environment Variables"; vllm/envs.py @
 * v0.11.2).
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableKvConnector.class)
public interface KvConnector {
  /** vLLM's NIXL connector class name, the one llm-d's sidecar drives ({@code nixlv2}). */
  String NIXL = "NixlConnector";

  /**
   * vLLM's default NIXL handshake port (vllm/envs.py {@code VLLM_NIXL_SIDE_CHANNEL_PORT}, 5600;
   * docs/features/nixl_connector_usage.md).
   */
  int DEFAULT_SIDE_CHANNEL_PORT = 5600;

  /**
   * The KV roles vLLM accepts (vllm/config/kv_transfer.py {@code KVRole}); the NIXL connector does
   * not act on them (docs/features/nixl_connector_usage.md, "KV Role Options").
   */
  Set<String> KV_ROLES = Set.of("kv_both", "kv_producer", "kv_consumer");

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns the defaults: NIXL, {@code kv_both}, side channel port 5600. */
  static KvConnector nixl() {
    return builder().build();
  }

  /**
   * The KV role every server declares; default {@code kv_both}, as llm-d's P/D guide and vLLM's
   * NIXL examples give it to prefill and decode alike.
   */
  @Value.Default
  default String kvRole() {
    return "kv_both";
  }

  /** The NIXL handshake port ({@code VLLM_NIXL_SIDE_CHANNEL_PORT}); default 5600. */
  @Value.Default
  default int sideChannelPort() {
    return DEFAULT_SIDE_CHANNEL_PORT;
  }

  /**
   * Returns the {@code --kv-transfer-config} value.
   *
   * @return the JSON text
   */
  default String kvTransferConfigJson() {
    return "{\"kv_connector\":\"" + NIXL + "\",\"kv_role\":\"" + kvRole() + "\"}";
  }

  /**
   * Adds the connector's violations.
   *
   * @param v the collector, at the connector's path
   * @param taken ports the pods already use
   */
  default void validate(Violations v, Set<Integer> taken) {
    v.require(
        KV_ROLES.contains(kvRole()),
        "kvRole",
        kvRole(),
        "must be kv_both, kv_producer or kv_consumer");
    v.require(
        sideChannelPort() >= 1024 && sideChannelPort() <= 65_535,
        "sideChannelPort",
        sideChannelPort(),
        "must be between 1024 and 65535");
    v.require(
        !taken.contains(sideChannelPort()),
        "sideChannelPort",
        sideChannelPort(),
        "must differ from the servers' and the routing sidecar's ports " + taken);
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableKvConnector.Builder {}
}
