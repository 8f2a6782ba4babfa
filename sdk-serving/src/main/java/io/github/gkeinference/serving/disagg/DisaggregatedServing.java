package io.github.gkeinference.serving.disagg;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import io.github.gkeinference.serving.gateway.epp.EndpointPickerConfig;
import io.github.gkeinference.serving.gateway.epp.EppCompatibility;
import io.github.gkeinference.serving.gateway.epp.EppPlugin;
import io.github.gkeinference.serving.gateway.epp.EppServerChecks;
import io.github.gkeinference.serving.gateway.epp.KnownPlugin;
import io.github.gkeinference.serving.gateway.epp.SchedulingProfile;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Prefill/decode (P/D) disaggregation of one model, as llm-d serves it: a prefill pool and a decode
 * pool of vLLM servers that hand the KV cache over with a KV connector (NIXL), llm-d's routing
 * sidecar in front of each decode server, and one InferencePool over both pools whose endpoint
 * picker first picks a decode pod and then, when its decider says so, a prefill pod
 * (llm-d/llm-d-inference-scheduler v0.8.0 docs/disaggregation.md).
 *
 * <p>Each side is a {@link VllmServer} (one machine per pod), or a LeaderWorkerSet when it spans
 * {@link Side#nodes()} machines, rendered as those specs render it, then given the KV connector
 * ({@code --kv-transfer-config}, the NIXL side-channel variables), the role label {@code
 * llm-d.ai/role} the picker's filters read and the pool label. On decode pods vLLM moves to {@link
 * #DECODE_VLLM_PORT} and the routing sidecar (a native sidecar) takes {@link
 * VllmServer#DEFAULT_PORT}, the pool's target port, as upstream's P/D deployment does; prefill pods
 * serve on that port themselves. Both sides' workload facts carry the connector, so that {@link
 * EppServerChecks} can tell a P/D picker from servers that cannot hand over their cache.
 *
 * <pre>{@code
 * RenderedSet bundle = DisaggregatedServing.builder()
 *     .name("llama-pd")
 *     .prefill(s -> s.server(prefillServer))   // VllmServer, role prefill
 *     .decode(s -> s.server(decodeServer))     // same model and block size
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableDisaggregatedServing.class)
public interface DisaggregatedServing extends RenderableSpec {
  /**
   * The pod label the picker's {@code prefill-filter} and {@code decode-filter} read
   * (llm-d/llm-d-inference-scheduler v0.8.0 pkg/epp/framework/plugins/scheduling/filter/bylabel/
   * roles.go, {@code RoleLabel}).
   */
  String ROLE_LABEL = "llm-d.ai/role";

  /** The label that puts the pods of both sides into one InferencePool; its value is the name. */
  String POOL_LABEL = "gkeinference.github.io/inference-pool";

  /**
   * vLLM's port on decode pods, behind the routing sidecar: the {@code --vllm-port} of upstream's
   * P/D deployment (llm-d/llm-d-inference-scheduler v0.8.0
   * deploy/components/vllm-sim-pd/deployments.yaml).
   */
  int DECODE_VLLM_PORT = 8200;

  /**
   * The routing sidecar image of the llm-d inference scheduler release the default picker comes
   * from (llm-d/llm-d-inference-scheduler v0.8.0 Makefile: {@code
   * ghcr.io/llm-d/llm-d-routing-sidecar}, built from Dockerfile.sidecar).
   */
  String DEFAULT_ROUTING_SIDECAR_IMAGE = "ghcr.io/llm-d/llm-d-routing-sidecar:v0.8.0";

  /**
   * The prefix-based decider's threshold: a request is prefilled remotely when at least this many
   * of its prompt tokens are not cached on the chosen decode pod (llm-d/llm-d-inference-scheduler
   * v0.8.0 deploy/config/pd-epp-config.yaml, {@code nonCachedTokens: 16}).
   */
  int DEFAULT_NON_CACHED_TOKENS = 16;

  /** The scheduling profile that picks the decode pod (the disagg profile handler's default). */
  String DECODE_PROFILE = "decode";

  /** The scheduling profile that picks the prefill pod (the disagg profile handler's default). */
  String PREFILL_PROFILE = "prefill";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * The name of the Gateway, HTTPRoute and InferencePool; a DNS-1035 label of at most 50
   * characters, other than either side's server name.
   */
  String name();

  /** The prefill side: its server and how many machines one of its pods spans. */
  Side prefill();

  /** The decode side; the same model, served model name, block size and KV cache dtype. */
  Side decode();

  /** The KV connector; default {@link KvConnector#nixl()}. */
  @Value.Default
  default KvConnector kvConnector() {
    return KvConnector.nixl();
  }

  /** The routing sidecar image; default {@link #DEFAULT_ROUTING_SIDECAR_IMAGE}. */
  @Value.Default
  default String routingSidecarImage() {
    return DEFAULT_ROUTING_SIDECAR_IMAGE;
  }

  /**
   * The endpoint picker image; default the llm-d inference scheduler v0.8.0 ({@link
   * EppCompatibility#LLM_D_V0_8_0}): the P/D plugins are llm-d's, which the GIE picker does not
   * register.
   */
  @Value.Default
  default String eppImage() {
    return EppCompatibility.LLM_D_V0_8_0.eppImage();
  }

  /** The load balancer; default {@link InferenceGateway.GatewayClass#INTERNAL}. */
  @Value.Default
  default InferenceGateway.GatewayClass gatewayClass() {
    return InferenceGateway.GatewayClass.INTERNAL;
  }

  /** The region's proxy-only subnet, admitted to the pods by the gateway's NetworkPolicy. */
  Optional<String> proxyOnlySubnet();

  /**
   * The prefix-based decider's threshold ({@link #DEFAULT_NON_CACHED_TOKENS}); 0 disaggregates
   * every request that has any uncached token.
   */
  @Value.Default
  default int nonCachedTokens() {
    return DEFAULT_NON_CACHED_TOKENS;
  }

  /** Returns the namespace of everything rendered: the prefill server's. */
  default String namespace() {
    return prefill().server().namespace();
  }

  /** Returns the labels that select the pods of both sides: the pool's selector. */
  default Map<String, String> poolSelector() {
    return Map.of(POOL_LABEL, name());
  }

  /**
   * Returns the endpoint picker's configuration: llm-d's P/D configuration of release v0.8.0
   * (llm-d/llm-d-inference-scheduler v0.8.0 deploy/config/pd-epp-config.yaml): the {@code
   * disagg-headers-handler} that tells the decode pod's sidecar where to prefill, prefix-cache and
   * queue scorers, the {@code prefill-filter} and {@code decode-filter}, the max-score picker, the
   * prefix-based decider with {@link #nonCachedTokens()} and the {@code disagg-profile-handler}
   * with {@code deciders.prefill}, and the {@code prefill} and {@code decode} profiles (prefix
   * cache weight 2, queue 1), with the {@code prepareDataPlugins} feature gate the decider's prefix
   * data needs. The prefix-cache scorer keeps GIE's default parameters (upstream's sample sizes its
   * LRU for a simulator).
   *
   * @return the configuration
   */
  default EndpointPickerConfig endpointPicker() {
    String decider = KnownPlugin.PREFIX_BASED_PD_DECIDER.type();
    Map<String, Object> handler = new LinkedHashMap<>();
    handler.put("deciders", Map.of("prefill", decider));
    return EndpointPickerConfig.builder()
        .addFeatureGate("prepareDataPlugins")
        .addPlugin(EppPlugin.of(KnownPlugin.DISAGG_HEADERS_HANDLER))
        .addPlugin(EppPlugin.of(KnownPlugin.PREFIX_CACHE_SCORER))
        .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
        .addPlugin(EppPlugin.of(KnownPlugin.PREFILL_FILTER))
        .addPlugin(EppPlugin.of(KnownPlugin.DECODE_FILTER))
        .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
        .addPlugin(
            EppPlugin.of(
                KnownPlugin.PREFIX_BASED_PD_DECIDER, Map.of("nonCachedTokens", nonCachedTokens())))
        .addPlugin(EppPlugin.of(KnownPlugin.DISAGG_PROFILE_HANDLER, handler))
        .addSchedulingProfile(profile(PREFILL_PROFILE, KnownPlugin.PREFILL_FILTER))
        .addSchedulingProfile(profile(DECODE_PROFILE, KnownPlugin.DECODE_FILTER))
        .build();
  }

  private static SchedulingProfile profile(String name, KnownPlugin filter) {
    return SchedulingProfile.of(
        name,
        SchedulingProfile.Entry.of(filter.type()),
        SchedulingProfile.Entry.of(KnownPlugin.MAX_SCORE_PICKER.type()),
        SchedulingProfile.Entry.weighted(KnownPlugin.PREFIX_CACHE_SCORER.type(), 2),
        SchedulingProfile.Entry.weighted(KnownPlugin.QUEUE_SCORER.type(), 1));
  }

  /**
   * Returns the gateway in front of both pools: one InferencePool over {@link #poolSelector()} on
   * the sidecar's port, with {@link #endpointPicker()}.
   *
   * @return the gateway spec
   */
  default InferenceGateway gateway() {
    InferenceGateway.Builder b =
        InferenceGateway.builder()
            .name(name())
            .namespace(namespace())
            .gatewayClass(gatewayClass())
            .eppImage(eppImage())
            .addPool(
                p ->
                    p.name(name())
                        .matchLabels(poolSelector())
                        .targetPort(VllmServer.DEFAULT_PORT)
                        .epp(endpointPicker()));
    proxyOnlySubnet().ifPresent(b::proxyOnlySubnet);
    return b.build();
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
        KubernetesNames.isDns1035Label(name(), 50),
        "name",
        name(),
        "must be a DNS-1035 label of at most 50 characters");
    VllmServer p = prefill().server();
    VllmServer d = decode().server();
    v.require(
        !name().equals(p.name()) && !name().equals(d.name()),
        "name",
        name(),
        "must differ from the servers' names: the pool's objects would collide with theirs");
    v.require(
        !p.name().equals(d.name()),
        "decode.server.name",
        d.name(),
        "must differ from prefill.server.name: each side is its own workload");
    v.require(
        p.namespace().equals(d.namespace()),
        "decode.server.namespace",
        d.namespace(),
        "must equal prefill.server.namespace (" + p.namespace() + "): one pool spans both sides");
    v.require(
        p.modelId().equals(d.modelId()),
        "decode.server.modelId",
        d.modelId(),
        "must equal prefill.server.modelId ("
            + p.modelId()
            + "): the decode side continues the prefill side's KV cache");
    String prefillName = p.servedModelName().orElse(p.modelId());
    String decodeName = d.servedModelName().orElse(d.modelId());
    v.require(
        prefillName.equals(decodeName),
        "decode.server.servedModelName",
        decodeName,
        "must equal the prefill side's served model name ("
            + prefillName
            + "): the sidecar sends the client's request to both");
    int prefillBlock = p.blockSize().orElse(EppServerChecks.VLLM_DEFAULT_BLOCK_SIZE);
    int decodeBlock = d.blockSize().orElse(EppServerChecks.VLLM_DEFAULT_BLOCK_SIZE);
    v.require(
        prefillBlock == decodeBlock,
        "decode.server.blockSize",
        decodeBlock,
        "must equal prefill.server.blockSize ("
            + prefillBlock
            + "; vLLM's default is "
            + EppServerChecks.VLLM_DEFAULT_BLOCK_SIZE
            + "): KV blocks are transferred as they are");
    String prefillDtype = p.kvCacheDtype().orElse("auto");
    String decodeDtype = d.kvCacheDtype().orElse("auto");
    v.require(
        prefillDtype.equals(decodeDtype),
        "decode.server.kvCacheDtype",
        decodeDtype,
        "must equal prefill.server.kvCacheDtype (" + prefillDtype + ")");
    prefill().validate(v.at("prefill"));
    decode().validate(v.at("decode"));
    kvConnector()
        .validate(
            v.at("kvConnector"),
            Set.of(VllmServer.DEFAULT_PORT, DECODE_VLLM_PORT, VllmServer.METRICS_SERVICE_PORT));
    ContainerImages.check(v, "routingSidecarImage", routingSidecarImage());
    ContainerImages.check(v, "eppImage", eppImage());
    v.require(nonCachedTokens() >= 0, "nonCachedTokens", nonCachedTokens(), "must be >= 0");
    if (!v.hasErrors()) {
      EppCompatibility.check(eppImage(), endpointPicker(), v.at("endpointPicker"));
    }
    v.throwIfErrors();
  }

  /**
   * Warns when the picker image is outside the SDK's compatibility table, and passes on each
   * server's own warnings.
   *
   * @param violations where the findings go
   */
  @Override
  default void validate(Violations violations) {
    EppCompatibility.checkListed(eppImage(), violations, "eppImage");
    prefill().server().validate(violations.at("prefill").at("server"));
    decode().server().validate(violations.at("decode").at("server"));
  }

  @Override
  default String kind() {
    return "DisaggregatedServing";
  }

  /**
   * Renders both pools (each side's ServiceAccount, grants, Deployment or LeaderWorkerSet, Service,
   * PodDisruptionBudget, NetworkPolicy), with the KV connector, the roles and the decode side's
   * routing sidecar, and the gateway with its InferencePool and P/D endpoint picker.
   *
   * @return the rendered set
   */
  @Override
  default RenderedSet render() {
    return new DisaggRendering(this).render();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableDisaggregatedServing.Builder {
    /**
     * Sets the prefill side built by {@code side}.
     *
     * @param side sets the side's server and nodes
     * @return this builder
     */
    public Builder prefill(Consumer<Side.Builder> side) {
      Side.Builder b = Side.builder();
      side.accept(b);
      return prefill(b.build());
    }

    /**
     * Sets the decode side built by {@code side}.
     *
     * @param side sets the side's server and nodes
     * @return this builder
     */
    public Builder decode(Consumer<Side.Builder> side) {
      Side.Builder b = Side.builder();
      side.accept(b);
      return decode(b.build());
    }

    /**
     * Sets the KV connector built by {@code connector}.
     *
     * @param connector sets the connector's fields
     * @return this builder
     */
    public Builder kvConnector(Consumer<KvConnector.Builder> connector) {
      KvConnector.Builder b = KvConnector.builder();
      connector.accept(b);
      return kvConnector(b.build());
    }
  }

  /** One side of the disaggregation: its vLLM server and the machines one of its pods spans. */
  @Value.Immutable
  @SdkStyle
  @JsonDeserialize(as = ImmutableSide.class)
  interface Side {
    /** Returns a new builder. */
    static Builder builder() {
      return new Builder();
    }

    /**
     * The server of one pod (of one machine, when {@link #nodes()} is above 1): model, placement,
     * tensor parallelism, replicas and flags. Its extra arguments may not set {@code
     * --kv-transfer-config}: the spec renders it.
     */
    VllmServer server();

    /**
     * Machines one replica spans; default 1 (a Deployment). Above 1 the side is a LeaderWorkerSet
     * ({@code MultiHostServer}): tensor parallelism inside a machine, one pipeline stage per
     * machine.
     */
    @Value.Default
    default int nodes() {
      return 1;
    }

    private void validate(Violations v) {
      v.require(nodes() >= 1, "nodes", nodes(), "must be at least 1");
      v.require(
          nodes() == 1 || server().pipelineParallelism() == 1,
          "server.pipelineParallelism",
          server().pipelineParallelism(),
          "must be 1 when the side spans several nodes: pipeline parallelism is set to the number"
              + " of nodes");
      for (int i = 0; i < server().extraArgs().size(); i++) {
        String arg = server().extraArgs().get(i);
        v.require(
            !arg.equals(VllmFlags.KV_TRANSFER_CONFIG)
                && !arg.startsWith(VllmFlags.KV_TRANSFER_CONFIG + "=")
                && !arg.startsWith(VllmFlags.KV_TRANSFER_CONFIG + "."),
            "server.extraArgs[" + i + "]",
            arg,
            "sets the KV connector, which the spec renders from kvConnector");
      }
      for (String env : DisaggRendering.SIDE_CHANNEL_ENV) {
        v.require(
            !server().env().containsKey(env),
            "server.env." + env,
            server().env().get(env),
            "is set from kvConnector and the pod's IP");
      }
    }

    /** The builder. */
    final class Builder extends ImmutableSide.Builder {
      /**
       * Sets the server built by {@code server}.
       *
       * @param server sets the server's fields
       * @return this builder
       */
      public Builder server(Consumer<VllmServer.Builder> server) {
        VllmServer.Builder b = VllmServer.builder();
        server.accept(b);
        return server(b.build());
      }
    }
  }
}
