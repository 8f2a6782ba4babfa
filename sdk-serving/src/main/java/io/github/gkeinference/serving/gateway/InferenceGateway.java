package io.github.gkeinference.serving.gateway;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Cidrs;
import io.github.gkeinference.core.validate.ContainerImages;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.InferenceObjective;
import io.github.gkeinference.serving.gateway.epp.EndpointPickerConfig;
import io.github.gkeinference.serving.gateway.epp.EppCompatibility;
import io.github.gkeinference.serving.gateway.epp.EppServerChecks;
import io.github.gkeinference.serving.internal.Pods;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A GKE Inference Gateway in front of one or more model-server pools.
 *
 * <p>Renders a Gateway, one HTTPRoute that splits traffic across the pools by weight (a 90/10
 * canary between two model versions is two pools), and for each pool an InferencePool, its endpoint
 * picker (Deployment, Service, ConfigMap with the scorer configuration, ServiceAccount and RBAC), a
 * HealthCheckPolicy and a GCPBackendPolicy; InferenceObjectives for request priorities; and, given
 * the proxy-only subnet, a NetworkPolicy for the namespace.
 *
 * <pre>{@code
 * RenderedSet bundle = InferenceGateway.builder()
 *     .name("llama")
 *     .namespace("inference")
 *     .addPool(p -> p.name("llama-v1").putMatchLabel("app.kubernetes.io/instance", "llama-v1")
 *         .weight(90))
 *     .addPool(p -> p.name("llama-v2").putMatchLabel("app.kubernetes.io/instance", "llama-v2")
 *         .weight(10))
 *     .proxyOnlySubnet("10.129.0.0/23")
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableInferenceGateway.class)
public interface InferenceGateway extends RenderableSpec {
  /**
   * The endpoint picker image: the Gateway API Inference Extension v1.5.0 release
   * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * config/charts/epplib/templates/_deployment.yaml, GIE v1.5.0 {@code
   * config/charts/epplib/values.yaml}).
   */
  String DEFAULT_EPP_IMAGE = "registry.k8s.io/gateway-api-inference-extension/epp:v1.5.0";

  /**
   * The body-based routing image, from the same Gateway API Inference Extension release as the
   * endpoint picker (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * config/charts/body-based-routing/values.yaml, {@code
   * registry.k8s.io/gateway-api-inference-extension/bbr}).
   */
  String DEFAULT_BBR_IMAGE = "registry.k8s.io/gateway-api-inference-extension/bbr:v1.5.0";

  /**
   * The backend request timeout in seconds the GIE chart sets on GKE ({@code gke.yaml},
   * kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * config/charts/inferencepool/templates/gke.yaml); long generations need more than the load
   * balancer's 30 s default.
   */
  int DEFAULT_TIMEOUT_SECONDS = 300;

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The Gateway's and HTTPRoute's name; a DNS-1035 label of at most 50 characters. */
  String name();

  /** The namespace of everything rendered; default {@code default}. */
  @Value.Default
  default String namespace() {
    return "default";
  }

  /** The load balancer; default {@link GatewayClass#INTERNAL}. */
  @Value.Default
  default GatewayClass gatewayClass() {
    return GatewayClass.INTERNAL;
  }

  /** The pools behind the gateway; traffic is split by their weights. */
  List<Pool> pools();

  /** Request priorities, each for one pool. */
  List<Objective> objectives();

  /**
   * The API group of rendered InferenceObjectives; default {@link
   * InferenceObjective#GKE_API_VERSION}, the one GKE documents.
   */
  @Value.Default
  default String objectiveApiVersion() {
    return InferenceObjective.GKE_API_VERSION;
  }

  /** The endpoint picker image; default {@link #DEFAULT_EPP_IMAGE}. */
  @Value.Default
  default String eppImage() {
    return DEFAULT_EPP_IMAGE;
  }

  /** The body-based routing image; default {@link #DEFAULT_BBR_IMAGE}. */
  @Value.Default
  default String bbrImage() {
    return DEFAULT_BBR_IMAGE;
  }

  /** The backend request timeout in seconds; default {@link #DEFAULT_TIMEOUT_SECONDS}. */
  @Value.Default
  default int timeoutSeconds() {
    return DEFAULT_TIMEOUT_SECONDS;
  }

  /**
   * The region's proxy-only subnet (CIDR) the gateway's proxies send from; when set, a
   * NetworkPolicy admits only it, the Managed Prometheus collector and the namespace itself.
   */
  Optional<String> proxyOnlySubnet();

  /**
   * The explicit override that accepts a {@link #proxyOnlySubnet()} wider than /8 (see {@link
   * Cidrs}); default false, because the NetworkPolicy then admits that whole range (with {@code
   * 0.0.0.0/0}, the internet). Set it only for the rare real need: a range you cannot name more
   * precisely, such as several regions' proxy-only subnets inside one wide block.
   */
  @Value.Default
  default boolean wideProxyOnlySubnetAllowed() {
    return false;
  }

  /**
   * Whether to add body-based routing, which copies the request's {@code model} field into the
   * {@code X-Gateway-Model-Name} header so that routes can match on it; default false. Renders the
   * BBR Deployment and Service, a GCPRoutingExtension on the Gateway and a gRPC HealthCheckPolicy
   * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * config/charts/body-based-routing/values.yaml).
   */
  @Value.Default
  default boolean bodyBasedRouting() {
    return false;
  }

  /**
   * Identity-Aware Proxy in front of the pools, for a {@link GatewayClass#REGIONAL_EXTERNAL}
   * gateway: the GCPBackendPolicies turn IAP on and the Gateway listens on HTTPS (see {@link Iap}).
   * {@link #validate(Violations)} warns about an external gateway without it.
   */
  Optional<Iap> iap();

  /**
   * Whether requests to an external gateway are authenticated some other way than {@link #iap()}
   * (for example an API gateway or an authenticating proxy in front of it); default false. It only
   * silences {@link #validate(Violations)}'s warning about an open endpoint; nothing is rendered.
   */
  @Value.Default
  default boolean authenticatedElsewhere() {
    return false;
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
        Pods.isDns1035(name(), 50),
        "name",
        name(),
        "must be a DNS-1035 label of at most 50 characters");
    v.require(Pods.isDns1123(namespace()), "namespace", namespace(), "must be a DNS-1123 label");
    v.require(!pools().isEmpty(), "pools", pools().size(), "must list at least one pool");
    Set<String> names = new HashSet<>();
    int total = 0;
    for (int i = 0; i < pools().size(); i++) {
      Pool p = pools().get(i);
      Violations at = v.at("pools", i);
      p.check(at);
      EppCompatibility.check(eppImage(), p.endpointPicker(), at.at("epp"));
      at.require(names.add(p.name()), "name", p.name(), "must be unique among the pools");
      total += p.weight();
    }
    v.require(
        pools().isEmpty() || total > 0,
        "pools",
        total,
        "at least one pool must have a weight above zero");
    for (int i = 0; i < objectives().size(); i++) {
      Objective o = objectives().get(i);
      Violations at = v.at("objectives", i);
      at.require(Pods.isDns1035(o.name(), 63), "name", o.name(), "must be a DNS-1035 label");
      at.require(
          names.contains(o.pool()), "pool", o.pool(), "must name one of this gateway's pools");
    }
    v.require(
        objectiveApiVersion().equals(InferenceObjective.GKE_API_VERSION)
            || objectiveApiVersion().equals(InferenceObjective.LLM_D_API_VERSION),
        "objectiveApiVersion",
        objectiveApiVersion(),
        "must be "
            + InferenceObjective.GKE_API_VERSION
            + " or "
            + InferenceObjective.LLM_D_API_VERSION);
    ContainerImages.check(v, "eppImage", eppImage());
    v.require(
        timeoutSeconds() >= 1 && timeoutSeconds() <= 86_400,
        "timeoutSeconds",
        timeoutSeconds(),
        "must be between 1 and 86400");
    proxyOnlySubnet()
        .ifPresent(cidr -> Cidrs.check(v, "proxyOnlySubnet", cidr, wideProxyOnlySubnetAllowed()));
    v.require(!bbrImage().isBlank(), "bbrImage", bbrImage(), "must not be empty");
    v.throwIfErrors();
  }

  /**
   * Checks each pool's endpoint-picker configuration against the servers it selects (the workloads
   * of {@code servers} whose pod labels hold the pool's {@code matchLabels}), with {@link
   * EppServerChecks}: scorers whose metric a server does not export, precise prefix-cache routing
   * without KV events or with a different block size or hash seed; and warns when {@link
   * #eppImage()} is outside {@link EppCompatibility}'s table.
   *
   * @param servers the rendered servers, with their workload facts
   * @return every finding, at paths such as {@code pools[0].epp.plugins[5].type}
   */
  default List<Violation> validate(RenderedSet servers) {
    Violations v = Violations.root();
    EppCompatibility.checkListed(eppImage(), v, "eppImage");
    for (int i = 0; i < pools().size(); i++) {
      Pool p = pools().get(i);
      List<WorkloadFacts> selected = new ArrayList<>();
      for (WorkloadFacts w : servers.workloads()) {
        if (w.namespace().equals(namespace())
            && w.podLabels().entrySet().containsAll(p.matchLabels().entrySet())) {
          selected.add(w);
        }
      }
      EppServerChecks.check(p.endpointPicker(), selected, v.at("pools", i).at("epp"));
    }
    return v.all();
  }

  /**
   * Warns about the gateway's exposure: an external gateway whose requests nobody authenticates
   * (neither {@link #iap()} nor {@link #authenticatedElsewhere()}) is an open inference endpoint on
   * the internet, at {@code gatewayClass}; IAP on an internal gateway, at {@code iap}, makes every
   * client inside the VPC present an IAP token although the load balancer is not reachable from the
   * internet (GKE "Configure Identity-Aware Proxy",
   * https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_iap).
   *
   * @param violations where the warnings go, at this spec's path
   */
  @Override
  default void validate(Violations violations) {
    if (gatewayClass() == GatewayClass.REGIONAL_EXTERNAL
        && iap().isEmpty()
        && !authenticatedElsewhere()) {
      violations.warning(
          "gatewayClass",
          gatewayClass(),
          "an external gateway without iap is an open inference endpoint on the internet: anyone"
              + " who finds its address can spend your accelerators; set iap, or"
              + " authenticatedElsewhere when a proxy in front of it authenticates requests");
    }
    if (gatewayClass() == GatewayClass.INTERNAL && iap().isPresent()) {
      violations.warning(
          "iap",
          "enabled",
          "IAP on an internal gateway: every client in the VPC (applications, the OpenAI SDKs)"
              + " must then send an IAP token, although the internal load balancer is not"
              + " reachable from the internet; use REGIONAL_EXTERNAL or drop iap");
    }
  }

  /**
   * Renders the bundle.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "InferenceGateway";
  }

  @Override
  default RenderedSet render() {
    return new GatewayRenderer(this).render();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableInferenceGateway.Builder {
    /**
     * Adds a pool built by {@code pool}.
     *
     * @param pool sets the pool's fields
     * @return this builder
     */
    public Builder addPool(Consumer<Pool.Builder> pool) {
      Pool.Builder b = Pool.builder();
      pool.accept(b);
      return addPool(b.build());
    }

    /**
     * Adds an objective.
     *
     * @param name the objective's name, which requests send as their model name
     * @param pool the pool's name
     * @param priority the priority; higher is served first under load
     * @return this builder
     */
    public Builder addObjective(String name, String pool, int priority) {
      return addObjective(Objective.of(name, pool, priority));
    }

    /**
     * Sets Identity-Aware Proxy built by {@code iap}.
     *
     * @param iap sets IAP's fields
     * @return this builder
     */
    public Builder iap(Consumer<Iap.Builder> iap) {
      Iap.Builder b = Iap.builder();
      iap.accept(b);
      return iap(b.build());
    }
  }

  /**
   * The load balancer kinds GKE offers for the Inference Gateway
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/deploy-gke-inference-gateway).
   */
  enum GatewayClass {
    /** {@code gke-l7-rilb}: a regional internal Application Load Balancer. */
    INTERNAL("gke-l7-rilb"),
    /** {@code gke-l7-regional-external-managed}: a regional external Application Load Balancer. */
    REGIONAL_EXTERNAL("gke-l7-regional-external-managed");

    private final String className;

    GatewayClass(String className) {
      this.className = className;
    }

    /** Returns the GatewayClass name. */
    public String className() {
      return className;
    }
  }

  /** One pool of model-server pods, with its own endpoint picker. */
  @Value.Immutable
  @SdkStyle
  @JsonDeserialize(as = ImmutablePool.class)
  interface Pool {
    /** Returns a new builder. */
    static Builder builder() {
      return new Builder();
    }

    /** The InferencePool's name; a DNS-1035 label of at most 50 characters. */
    String name();

    /** The labels of the model-server pods, for example a server's selector labels. */
    Map<String, String> matchLabels();

    /** The model server's port; default 8000, vLLM's. */
    @Value.Default
    default int targetPort() {
      return 8000;
    }

    /** The share of traffic relative to the other pools; default 1. */
    @Value.Default
    default int weight() {
      return 1;
    }

    /** Endpoint picker replicas; default 1 (the GIE chart recommends one active replica). */
    @Value.Default
    default int eppReplicas() {
      return 1;
    }

    /**
     * The scorer weights of the endpoint picker; default {@link Scorers#defaults()}. Ignored when
     * {@link #epp()} is set.
     */
    @Value.Default
    default Scorers scorers() {
      return Scorers.defaults();
    }

    /**
     * The endpoint picker's full configuration; when empty, {@link #scorers()} weigh the GIE
     * chart's scorer set ({@link EndpointPickerConfig#scorers(int, int, int)}).
     */
    Optional<EndpointPickerConfig> epp();

    /** Returns the configuration the endpoint picker reads: {@link #epp()} or the scorer set. */
    default EndpointPickerConfig endpointPicker() {
      return epp()
          .orElseGet(
              () ->
                  EndpointPickerConfig.scorers(
                      scorers().prefixCache(), scorers().queue(), scorers().kvCacheUtilization()));
    }

    private void check(Violations v) {
      v.require(
          Pods.isDns1035(name(), 50), "name", name(), "must be a DNS-1035 label of at most 50");
      v.require(
          !matchLabels().isEmpty() && matchLabels().size() <= 64,
          "matchLabels",
          matchLabels().size(),
          "must hold 1 to 64 labels (InferencePool v1)");
      v.require(
          targetPort() >= 1 && targetPort() <= 65_535,
          "targetPort",
          targetPort(),
          "must be between 1 and 65535");
      v.require(
          weight() >= 0 && weight() <= 1_000_000,
          "weight",
          weight(),
          "must be between 0 and 1000000 (Gateway API backendRef weight)");
      v.require(eppReplicas() >= 1, "eppReplicas", eppReplicas(), "must be at least 1");
      v.require(
          epp().isEmpty() || scorers().equals(Scorers.defaults()),
          "scorers",
          scorers(),
          "must be left at the defaults when epp is set: the picker reads epp only");
      Violations s = v.at("scorers");
      s.require(
          scorers().prefixCache() >= 0, "prefixCache", scorers().prefixCache(), "must be >= 0");
      s.require(scorers().queue() >= 0, "queue", scorers().queue(), "must be >= 0");
      s.require(
          scorers().kvCacheUtilization() >= 0,
          "kvCacheUtilization",
          scorers().kvCacheUtilization(),
          "must be >= 0");
      s.require(
          scorers().prefixCache() + scorers().queue() + scorers().kvCacheUtilization() > 0,
          "",
          scorers(),
          "at least one scorer must have a weight above zero");
    }

    /** The builder. */
    final class Builder extends ImmutablePool.Builder {
      /**
       * Sets the endpoint picker's configuration built by {@code epp}.
       *
       * @param epp sets the configuration's fields
       * @return this builder
       */
      public Builder epp(Consumer<EndpointPickerConfig.Builder> epp) {
        EndpointPickerConfig.Builder b = EndpointPickerConfig.builder();
        epp.accept(b);
        return epp(b.build());
      }
    }
  }

  /**
   * The endpoint picker's scorer weights; a weight of zero leaves that scorer out.
   *
   * @param prefixCache {@code prefix-cache-scorer}: prefer pods that already hold the prompt's
   *     prefix
   * @param queue {@code queue-scorer}: prefer pods with fewer waiting requests
   * @param kvCacheUtilization {@code kv-cache-utilization-scorer}: prefer pods with free KV cache
   */
  record Scorers(int prefixCache, int queue, int kvCacheUtilization) {
    /**
     * Returns the weights of the GIE chart's documented default profile: prefix cache 3, queue 2,
     * KV cache utilization 2 (GIE {@code config/charts/inferencepool/README.md}).
     *
     * @return the defaults
     */
    public static Scorers defaults() {
      return new Scorers(3, 2, 2);
    }
  }

  /**
   * A request priority for one pool.
   *
   * @param name the objective's name
   * @param pool the pool's name
   * @param priority higher is served first when the pool is saturated
   */
  record Objective(String name, String pool, int priority) {
    /**
     * Returns an objective.
     *
     * @param name the objective's name
     * @param pool the pool's name
     * @param priority the priority
     * @return the objective
     */
    public static Objective of(String name, String pool, int priority) {
      return new Objective(name, pool, priority);
    }
  }
}
