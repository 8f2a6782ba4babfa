package io.github.gkeinference.serving.gateway;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.InferenceObjective;
import io.github.gkeinference.serving.internal.Pods;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One GKE Inference Gateway in front of several base-model pools, routing each request by the
 * {@code model} field of its body; LoRA adapters are routed to the pool of their base model and
 * become InferenceObjectives of that pool.
 *
 * <p>This is GKE's documented way to serve several models behind one endpoint
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/configure-body-based-routing): the
 * body-based router copies the body's {@code model} into the {@value #MODEL_HEADER} header, and the
 * HTTPRoute has one rule per served model name (each base model and each adapter) that matches that
 * header exactly and sends the request to the model's InferencePool, whose endpoint picker then
 * chooses a replica. Per pool, a ConfigMap labelled {@value #BBR_MANAGED_LABEL} maps the adapters
 * to the base model, as GIE v1.5.0 documents for its router's {@code base-model-to-header} plugin
 * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * site-src/guides/serving-multiple-inference-pools-latest.md, config/manifests/bbr/configmap.yaml),
 * so the {@code X-Gateway-Base-Model-Name} header it sets names the right base model too.
 *
 * <p>Everything per pool (InferencePool, endpoint picker, policies), the Gateway, the body-based
 * router, the objectives and the NetworkPolicy is rendered by the {@link InferenceGateway} this
 * spec describes ({@link #inferenceGateway()}); this spec replaces its weighted HTTPRoute with the
 * model-name route and adds the adapter ConfigMaps.
 *
 * <pre>{@code
 * RenderedSet bundle = MultiModelGateway.builder()
 *     .name("models")
 *     .namespace("inference")
 *     .addPool(p -> p.name("llama").matchLabels(llama.selectorLabels()))
 *     .addPool(p -> p.name("qwen").matchLabels(qwen.selectorLabels()))
 *     .addModel("meta-llama/Llama-3.1-8B-Instruct", "llama")
 *     .addModel("Qwen/Qwen3-8B", "qwen")
 *     .addLoraAdapter("sql-lora", "llama", 10)
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableMultiModelGateway.class)
public interface MultiModelGateway extends RenderableSpec {
  /**
   * The header the body-based router writes the body's {@code model} into, which the route matches
   * (GIE v1.5.0 config/charts/body-based-routing/values.yaml, plugin {@code body-field-to-header}).
   */
  String MODEL_HEADER = "X-Gateway-Model-Name";

  /**
   * The label that marks a ConfigMap as an adapter-to-base-model mapping for the body-based router
   * (GIE v1.5.0 pkg/bbr/plugins/basemodelextractor/configmap_reconciler.go).
   */
  String BBR_MANAGED_LABEL = "inference.networking.k8s.io/bbr-managed";

  /**
   * The most rules one HTTPRoute holds, so the most model names one gateway routes (Gateway API v1
   * HTTPRoute {@code spec.rules} maxItems 16, config/crd/standard/
   * gateway.networking.k8s.io_httproutes.yaml).
   */
  int MAX_MODEL_NAMES = 16;

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

  /** The load balancer; default {@link InferenceGateway.GatewayClass#INTERNAL}. */
  @Value.Default
  default InferenceGateway.GatewayClass gatewayClass() {
    return InferenceGateway.GatewayClass.INTERNAL;
  }

  /**
   * The pools, each one model server deployment serving one base model; their {@code weight} is not
   * used, since each model name routes to exactly one pool.
   */
  List<InferenceGateway.Pool> pools();

  /** The base models: each pool serves exactly one. */
  List<ModelRoute> models();

  /** The LoRA adapters, each served by the pool of its base model. */
  List<AdapterRoute> loraAdapters();

  /**
   * Whether the body-based router copies the body's {@code model} into {@value #MODEL_HEADER};
   * default true. It may be off only while the gateway serves a single model name, which then
   * routes on the path alone.
   */
  @Value.Default
  default boolean bodyBasedRouting() {
    return true;
  }

  /**
   * The API group of the adapters' InferenceObjectives; default {@link
   * InferenceObjective#GKE_API_VERSION}.
   */
  @Value.Default
  default String objectiveApiVersion() {
    return InferenceObjective.GKE_API_VERSION;
  }

  /** The endpoint picker image; default {@link InferenceGateway#DEFAULT_EPP_IMAGE}. */
  @Value.Default
  default String eppImage() {
    return InferenceGateway.DEFAULT_EPP_IMAGE;
  }

  /** The body-based routing image; default {@link InferenceGateway#DEFAULT_BBR_IMAGE}. */
  @Value.Default
  default String bbrImage() {
    return InferenceGateway.DEFAULT_BBR_IMAGE;
  }

  /**
   * The backend request timeout in seconds; default {@link
   * InferenceGateway#DEFAULT_TIMEOUT_SECONDS}.
   */
  @Value.Default
  default int timeoutSeconds() {
    return InferenceGateway.DEFAULT_TIMEOUT_SECONDS;
  }

  /**
   * The region's proxy-only subnet; when set, a NetworkPolicy admits only it (see {@link
   * InferenceGateway#proxyOnlySubnet()}).
   */
  Optional<String> proxyOnlySubnet();

  /**
   * Checks every field at once: the gateway's own fields (as {@link InferenceGateway} checks them,
   * at the same paths) and the routes: each model name is served by one pool only, each route names
   * a pool of this gateway, each pool serves exactly one base model, body-based routing is on when
   * more than one model name is served, and at most {@value #MAX_MODEL_NAMES} names are.
   *
   * @throws SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    Map<String, Integer> poolIndex = new HashMap<>();
    for (int i = 0; i < pools().size(); i++) {
      poolIndex.putIfAbsent(pools().get(i).name(), i);
    }
    // the first route of each name, as the path that served it first
    Map<String, String> servedBy = new HashMap<>();
    Map<String, String> baseOf = new LinkedHashMap<>();
    for (int i = 0; i < models().size(); i++) {
      ModelRoute m = models().get(i);
      Violations at = v.at("models", i);
      checkName(at, m.name(), servedBy, "models[" + i + "]", m.pool());
      boolean known = poolIndex.containsKey(m.pool());
      at.require(known, "pool", m.pool(), "must name one of this gateway's pools");
      if (known) {
        String other = baseOf.putIfAbsent(m.pool(), m.name());
        at.require(
            other == null,
            "pool",
            m.pool(),
            "already serves base model '"
                + other
                + "'; a pool serves one base model (put the other in its own pool)");
      }
    }
    for (int i = 0; i < loraAdapters().size(); i++) {
      AdapterRoute a = loraAdapters().get(i);
      Violations at = v.at("loraAdapters", i);
      at.require(
          Pods.isDns1035(a.name(), 63),
          "name",
          a.name(),
          "must be a DNS-1035 label (lower case letters, digits and '-'): the adapter becomes an"
              + " InferenceObjective of that name");
      checkName(at, a.name(), servedBy, "loraAdapters[" + i + "]", a.pool());
      at.require(
          poolIndex.containsKey(a.pool()),
          "pool",
          a.pool(),
          "must name one of this gateway's pools");
    }
    for (int i = 0; i < pools().size(); i++) {
      String pool = pools().get(i).name();
      v.at("pools", i)
          .require(
              baseOf.containsKey(pool) || poolIndex.get(pool) != i,
              "name",
              pool,
              "serves no base model: add a model whose pool is " + pool);
    }
    int names = models().size() + loraAdapters().size();
    v.require(
        names <= MAX_MODEL_NAMES,
        "models",
        names,
        "the gateway routes at most "
            + MAX_MODEL_NAMES
            + " model names (base models plus adapters): one HTTPRoute rule each");
    v.require(
        bodyBasedRouting() || names <= 1,
        "bodyBasedRouting",
        false,
        "must be true when the gateway serves more than one model name ("
            + names
            + "): without the body-based router no header carries the request's model");
    // the gateway's own fields (name, namespace, pools, images, subnet), at the same paths
    try {
      inferenceGateway();
    } catch (SdkValidationException e) {
      v.addAll(e.violations());
    }
    v.throwIfErrors();
  }

  private static void checkName(
      Violations at, String name, Map<String, String> servedBy, String path, String pool) {
    at.require(
        !name.isBlank() && name.strip().equals(name) && name.length() <= 4096,
        "name",
        name,
        "must be the model name clients send: not blank, no surrounding spaces, at most 4096"
            + " characters (HTTPRoute header match value)");
    String first = servedBy.putIfAbsent(name, path + " of pool " + pool);
    at.require(
        first == null,
        "name",
        name,
        "is already served by " + first + "; a model name routes to one pool only");
  }

  /**
   * Returns the {@link InferenceGateway} that renders the per-pool parts: the same name, namespace,
   * pools, images and subnet, body-based routing as set here, and one InferenceObjective per
   * adapter whose name and pool are valid, for the adapter's base pool.
   *
   * @return the gateway
   * @throws SdkValidationException when the gateway's own fields are invalid
   */
  default InferenceGateway inferenceGateway() {
    InferenceGateway.Builder b =
        InferenceGateway.builder()
            .name(name())
            .namespace(namespace())
            .gatewayClass(gatewayClass())
            .pools(pools())
            .objectiveApiVersion(objectiveApiVersion())
            .eppImage(eppImage())
            .bbrImage(bbrImage())
            .timeoutSeconds(timeoutSeconds())
            .proxyOnlySubnet(proxyOnlySubnet())
            .bodyBasedRouting(bodyBasedRouting());
    for (AdapterRoute a : loraAdapters()) {
      // invalid adapters are reported at their own paths by check()
      if (Pods.isDns1035(a.name(), 63)
          && pools().stream().anyMatch(p -> p.name().equals(a.pool()))) {
        b.addObjective(a.name(), a.pool(), a.priority());
      }
    }
    return b.build();
  }

  /**
   * Checks the routes against the servers the pools select (the workloads of {@code servers} in
   * this namespace whose pod labels hold a pool's {@code matchLabels}): a pool that selects no
   * server (warning); a server that does not serve its pool's base model under that name ({@code
   * --served-model-name}); a server of an adapter's pool that runs without {@code --enable-lora} or
   * does not load the adapter ({@code --lora-modules}); and the endpoint-picker checks of {@link
   * InferenceGateway#validate(RenderedSet)}. Reads the flags the servers' {@link WorkloadFacts}
   * record; facts read from foreign YAML do not record the LoRA flags, so check rendered servers.
   *
   * @param servers the rendered servers, with their workload facts
   * @return every finding, at paths such as {@code loraAdapters[1].pool}
   */
  default List<Violation> validate(RenderedSet servers) {
    Violations v = Violations.root();
    Map<String, List<WorkloadFacts>> selected = new HashMap<>();
    for (int i = 0; i < pools().size(); i++) {
      InferenceGateway.Pool p = pools().get(i);
      List<WorkloadFacts> own = new ArrayList<>();
      for (WorkloadFacts w : servers.workloads()) {
        if (w.namespace().equals(namespace())
            && w.podLabels().entrySet().containsAll(p.matchLabels().entrySet())) {
          own.add(w);
        }
      }
      selected.put(p.name(), own);
      if (own.isEmpty()) {
        v.at("pools", i)
            .warning("matchLabels", p.matchLabels(), "selects no server in " + namespace());
      }
    }
    for (int i = 0; i < models().size(); i++) {
      ModelRoute m = models().get(i);
      for (WorkloadFacts w : selected.get(m.pool())) {
        String served =
            Optional.ofNullable(w.flags().get(VllmFlags.SERVED_MODEL_NAME))
                .or(w::modelId)
                .orElse(m.name());
        v.at("models", i)
            .require(
                served.equals(m.name()),
                "name",
                m.name(),
                "is not what server " + w.name() + " of pool " + m.pool() + " serves: " + served);
      }
    }
    for (int i = 0; i < loraAdapters().size(); i++) {
      AdapterRoute a = loraAdapters().get(i);
      for (WorkloadFacts w : selected.get(a.pool())) {
        Violations at = v.at("loraAdapters", i);
        if (!w.flags().containsKey(VllmFlags.ENABLE_LORA)) {
          at.error(
              "pool",
              a.pool(),
              "its server "
                  + w.name()
                  + " runs without "
                  + VllmFlags.ENABLE_LORA
                  + ": list the adapter in the server's loraAdapters");
        } else if (!loads(w, a.name())) {
          at.error(
              "name",
              a.name(),
              "is not loaded by server "
                  + w.name()
                  + " of pool "
                  + a.pool()
                  + " ("
                  + VllmFlags.LORA_MODULES
                  + "): add it to the server's loraAdapters");
        }
      }
    }
    v.addAll(inferenceGateway().validate(servers));
    return v.all();
  }

  private static boolean loads(WorkloadFacts server, String adapter) {
    String modules = server.flags().getOrDefault(VllmFlags.LORA_MODULES, "");
    for (String module : modules.split(" ")) {
      if (module.startsWith(adapter + "=")) {
        return true;
      }
    }
    return false;
  }

  @Override
  default String kind() {
    return "MultiModelGateway";
  }

  /**
   * Renders the gateway: the {@link #inferenceGateway()} bundle with its HTTPRoute replaced by one
   * rule per model name, and the adapter ConfigMaps of the body-based router.
   *
   * @return the rendered set
   */
  @Override
  default RenderedSet render() {
    return new MultiModelRenderer(this).render();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableMultiModelGateway.Builder {
    /**
     * Adds a pool built by {@code pool}.
     *
     * @param pool sets the pool's fields
     * @return this builder
     */
    public Builder addPool(Consumer<InferenceGateway.Pool.Builder> pool) {
      InferenceGateway.Pool.Builder b = InferenceGateway.Pool.builder();
      pool.accept(b);
      return addPool(b.build());
    }

    /**
     * Adds a base model.
     *
     * @param name the model name clients send, the server's {@code --served-model-name}
     * @param pool the name of the pool that serves it
     * @return this builder
     */
    public Builder addModel(String name, String pool) {
      return addModel(ModelRoute.of(name, pool));
    }

    /**
     * Adds a LoRA adapter and its objective.
     *
     * @param name the adapter's name, which clients send as the model
     * @param pool the name of the pool of its base model
     * @param priority the objective's priority; higher is served first under load
     * @return this builder
     */
    public Builder addLoraAdapter(String name, String pool, int priority) {
      return addLoraAdapter(AdapterRoute.of(name, pool, priority));
    }
  }

  /**
   * A base model and the pool that serves it.
   *
   * @param name the model name clients send (the server's {@code --served-model-name})
   * @param pool the pool's name
   */
  record ModelRoute(String name, String pool) {
    /**
     * Returns a model route.
     *
     * @param name the model name
     * @param pool the pool's name
     * @return the route
     */
    public static ModelRoute of(String name, String pool) {
      return new ModelRoute(name, pool);
    }
  }

  /**
   * A LoRA adapter served by the pool of its base model, with its InferenceObjective's priority.
   */
  @Value.Immutable
  @SdkStyle
  @JsonDeserialize(as = ImmutableAdapterRoute.class)
  interface AdapterRoute {
    /** Returns a new builder. */
    static Builder builder() {
      return new Builder();
    }

    /**
     * Returns an adapter route.
     *
     * @param name the adapter's name
     * @param pool the pool's name
     * @param priority the objective's priority
     * @return the route
     */
    static AdapterRoute of(String name, String pool, int priority) {
      return builder().name(name).pool(pool).priority(priority).build();
    }

    /**
     * The adapter's name, as clients send it and the server loads it ({@code --lora-modules
     * name=path}).
     */
    String name();

    /** The name of the pool of its base model. */
    String pool();

    /**
     * The objective's priority; default 0, the value the endpoint picker gives requests without an
     * objective (GIE v1.5.0 apix/v1alpha2/inferenceobjective_types.go).
     */
    @Value.Default
    default int priority() {
      return 0;
    }

    /** The builder. */
    final class Builder extends ImmutableAdapterRoute.Builder {}
  }
}
