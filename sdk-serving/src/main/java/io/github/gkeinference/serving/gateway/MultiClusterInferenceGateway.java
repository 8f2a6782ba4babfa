package io.github.gkeinference.serving.gateway;

import io.github.gkeinference.core.cluster.GkeVersion;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.InferenceObjective;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The GKE multi-cluster Inference Gateway: one cross-regional internal load balancer in front of
 * the same InferencePools served in several clusters of a fleet
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway;
 * concepts:
 * https://cloud.google.com/kubernetes-engine/docs/concepts/about-multi-cluster-inference-gateway).
 *
 * <p>Each <em>target</em> cluster holds the pools, exported with the annotation {@value
 * #EXPORT_ANNOTATION}{@code : "True"}, their endpoint pickers and the objectives; its model servers
 * are rendered by their own specs, with the pools' {@code matchLabels}. The <em>config</em> cluster
 * (the fleet's Multi Cluster Ingress config membership) holds the Gateway of class {@value
 * #GATEWAY_CLASS} with an ephemeral address in each region, the HTTPRoute whose backends are the
 * imported pools ({@value #IMPORT_KIND} in {@value #IMPORT_GROUP}, which GKE creates from the
 * exports: nothing renders them), and a HealthCheckPolicy and GCPBackendPolicy per imported pool. A
 * cluster may be both.
 *
 * <p>{@link #renderClusters()} returns one {@link RenderedSet} per cluster, because each is applied
 * with its own cluster's credentials; {@link #render()}, the one set that spec files and the CLI
 * write, is the set of {@link #outputCluster()} (by default the config cluster).
 *
 * <pre>{@code
 * Map<String, RenderedSet> fleet = MultiClusterInferenceGateway.builder()
 *     .name("llama")
 *     .namespace("inference")
 *     .addCluster(c -> c.name("gke-west").region("europe-west3").gkeVersion("1.34.1-gke.1127000"))
 *     .addCluster(c -> c.name("gke-east").region("us-east4").gkeVersion("1.34.1-gke.1127000"))
 *     .configCluster("gke-west")
 *     .addPool(p -> p.name("llama").putMatchLabel("app.kubernetes.io/instance", "llama"))
 *     .build()
 *     .renderClusters();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableMultiClusterInferenceGateway.class)
public interface MultiClusterInferenceGateway extends RenderableSpec {
  /**
   * The lowest GKE version of the multi-cluster Inference Gateway ("Requirements": "Use GKE version
   * 1.34.1-gke.1127000 or later",
   * https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway).
   */
  String GKE_VERSION_FLOOR = "1.34.1-gke.1127000";

  /**
   * The cross-regional internal multi-cluster GatewayClass the setup guide uses
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway,
   * {@code mcig.yaml}).
   */
  String GATEWAY_CLASS = "gke-l7-cross-regional-internal-managed-mc";

  /**
   * The annotation that exports an InferencePool to the config cluster; its value is {@value
   * #EXPORT_VALUE} (the setup guide's {@code kubectl annotate inferencepool ...
   * networking.gke.io/export="True"}).
   */
  String EXPORT_ANNOTATION = "networking.gke.io/export";

  /** The export annotation's value, spelt as the setup guide spells it. */
  String EXPORT_VALUE = "True";

  /** The API group of the imported pools in the config cluster. */
  String IMPORT_GROUP = "networking.gke.io";

  /** The kind GKE creates in the config cluster for each exported pool. */
  String IMPORT_KIND = "GCPInferencePoolImport";

  /**
   * The address type prefix of a cross-regional Gateway's per-region ephemeral address; the region
   * follows it and is the value ({@code mcig.yaml}).
   */
  String EPHEMERAL_ADDRESS_TYPE = "networking.gke.io/ephemeral-ipv4-address/";

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

  /** The namespace of everything rendered, in every cluster; default {@code default}. */
  @Value.Default
  default String namespace() {
    return "default";
  }

  /** The fleet's clusters: the config cluster and the target clusters. */
  List<Cluster> clusters();

  /** The name of the config cluster, one of {@link #clusters()}. */
  String configCluster();

  /**
   * The cluster whose set {@link #render()} returns; default the config cluster. Spec files and the
   * CLI write one directory per document, so a fleet is one document per cluster with this field
   * set, or Java code calling {@link #renderClusters()}.
   */
  Optional<String> outputCluster();

  /** The pools, the same in every target cluster; traffic is split by their weights. */
  List<InferenceGateway.Pool> pools();

  /** Request priorities, each for one pool, rendered in every target cluster. */
  List<InferenceGateway.Objective> objectives();

  /**
   * The API group of rendered InferenceObjectives; default {@link
   * InferenceObjective#GKE_API_VERSION}, the one the setup guide installs.
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

  /**
   * The load balancer's backend timeout in seconds; default {@link
   * InferenceGateway#DEFAULT_TIMEOUT_SECONDS}. The setup guide advises at least twice the P99
   * request latency, up to 3600 s for long-context work.
   */
  @Value.Default
  default int timeoutSeconds() {
    return InferenceGateway.DEFAULT_TIMEOUT_SECONDS;
  }

  /**
   * Checks every field at once.
   *
   * @throws SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    try {
      singleCluster();
    } catch (SdkValidationException e) {
      v.addAll(e.violations());
    }
    v.require(
        !clusters().isEmpty(), "clusters", clusters().size(), "must list the fleet's clusters");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < clusters().size(); i++) {
      clusters().get(i).check(v.at("clusters", i), names);
    }
    v.require(
        names.contains(configCluster()),
        "configCluster",
        configCluster(),
        "must name one of the clusters");
    v.require(
        clusters().stream().anyMatch(Cluster::target),
        "clusters",
        clusters().size(),
        "at least one cluster must be a target cluster that serves the pools");
    outputCluster()
        .ifPresent(
            c -> v.require(names.contains(c), "outputCluster", c, "must name one of the clusters"));
    v.throwIfErrors();
  }

  /**
   * Returns the pools, pickers and objectives as a single-cluster gateway holds them; its rules
   * check the pools ({@code pools[0].name}), objectives and images at the same paths.
   */
  private InferenceGateway singleCluster() {
    return InferenceGateway.builder()
        .name(name())
        .namespace(namespace())
        .pools(pools())
        .objectives(objectives())
        .objectiveApiVersion(objectiveApiVersion())
        .eppImage(eppImage())
        .timeoutSeconds(timeoutSeconds())
        .build();
  }

  /**
   * Checks each target cluster's endpoint-picker configuration against that cluster's servers, as
   * {@link InferenceGateway#validate(RenderedSet)} does for one cluster.
   *
   * @param servers the rendered servers of each target cluster, by cluster name
   * @return every finding, at paths such as {@code clusters[1].pools[0].epp.plugins[5].type}
   */
  default List<Violation> validate(Map<String, RenderedSet> servers) {
    Violations v = Violations.root();
    InferenceGateway gateway = singleCluster();
    for (int i = 0; i < clusters().size(); i++) {
      Cluster c = clusters().get(i);
      RenderedSet set = servers.get(c.name());
      if (c.target() && set != null) {
        v.at("clusters", i).addAll(gateway.validate(set));
      }
    }
    return v.all();
  }

  /**
   * Renders every cluster's objects.
   *
   * @return one set per cluster, by cluster name, in the order of {@link #clusters()}
   */
  default Map<String, RenderedSet> renderClusters() {
    InferenceGateway gateway = singleCluster();
    Map<String, RenderedSet> out = new LinkedHashMap<>();
    for (Cluster c : clusters()) {
      RenderedSet.Builder set = RenderedSet.builder();
      if (c.target()) {
        set.addAll(
            new GatewayRenderer(gateway)
                .renderTargetCluster(Map.of(EXPORT_ANNOTATION, EXPORT_VALUE)));
      }
      if (c.name().equals(configCluster())) {
        set.addAll(new MultiClusterRenderer(this).renderConfigCluster());
      }
      out.put(c.name(), set.build());
    }
    return out;
  }

  @Override
  default String kind() {
    return "MultiClusterInferenceGateway";
  }

  /** Renders the set of {@link #outputCluster()}, by default the config cluster's. */
  @Override
  default RenderedSet render() {
    return renderClusters().get(outputCluster().orElse(configCluster()));
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableMultiClusterInferenceGateway.Builder {
    /**
     * Adds a cluster built by {@code cluster}.
     *
     * @param cluster sets the cluster's fields
     * @return this builder
     */
    public Builder addCluster(Consumer<Cluster.Builder> cluster) {
      Cluster.Builder b = Cluster.builder();
      cluster.accept(b);
      return addCluster(b.build());
    }

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
     * Adds an objective.
     *
     * @param name the objective's name
     * @param pool the pool's name
     * @param priority the priority; higher is served first under load
     * @return this builder
     */
    public Builder addObjective(String name, String pool, int priority) {
      return addObjective(InferenceGateway.Objective.of(name, pool, priority));
    }
  }

  /** One GKE cluster of the fleet. */
  @Value.Immutable
  @SdkStyle
  @JsonDeserialize(as = ImmutableCluster.class)
  interface Cluster {
    /** A Compute Engine region name, such as {@code us-east4}. */
    Pattern REGION = Pattern.compile("[a-z]+(-[a-z]+)+[0-9]+");

    /** GKE's longest cluster name. */
    int MAX_NAME_LENGTH = 40;

    /** Returns a new builder. */
    static Builder builder() {
      return new Builder();
    }

    /** The cluster's name (its fleet membership name in the setup guide). */
    String name();

    /** The cluster's region; the Gateway gets an ephemeral address in each cluster's region. */
    String region();

    /** The cluster's GKE version; at least {@link #GKE_VERSION_FLOOR}. */
    String gkeVersion();

    /** Whether the cluster serves the pools (exports them); default true. */
    @Value.Default
    default boolean target() {
      return true;
    }

    private void check(Violations v, Set<String> names) {
      v.require(
          KubernetesNames.isDns1035Label(name(), MAX_NAME_LENGTH),
          "name",
          name(),
          "must be a GKE cluster name: lower-case letters, digits and '-', at most "
              + MAX_NAME_LENGTH
              + " characters, starting with a letter");
      v.require(names.add(name()), "name", name(), "must be unique among the clusters");
      v.require(
          REGION.matcher(region()).matches(), "region", region(), "must be a region like us-east4");
      if (!GkeVersion.isWellFormed(gkeVersion())) {
        v.error(
            "gkeVersion",
            gkeVersion(),
            "must be a GKE version such as "
                + GKE_VERSION_FLOOR
                + " (MAJOR.MINOR.PATCH-gke.BUILD)");
      } else {
        v.require(
            GkeVersion.atLeast(gkeVersion(), GKE_VERSION_FLOOR),
            "gkeVersion",
            gkeVersion(),
            "must be at least "
                + GKE_VERSION_FLOOR
                + ", the multi-cluster Inference Gateway's floor"
                + " (https://cloud.google.com/kubernetes-engine/docs/how-to/"
                + "setup-multicluster-inference-gateway)");
      }
    }

    /** The builder. */
    final class Builder extends ImmutableCluster.Builder {}
  }
}
