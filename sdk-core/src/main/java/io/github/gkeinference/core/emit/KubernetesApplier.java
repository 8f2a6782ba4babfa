package io.github.gkeinference.core.emit;

import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.core.retry.Sleeper;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Applies a rendered set to a Kubernetes cluster with server-side apply, in dependency order
 * (namespaces, identity, configuration, workloads, services, routes, autoscalers, monitoring).
 *
 * <pre>{@code
 * KubernetesApplier applier = KubernetesApplier.builder(client, "llama-online")
 *     .prune(true)
 *     .waitForReady(Duration.ofMinutes(20))
 *     .build();
 * ApplyReport report = applier.apply(bundle).throwIfFailed();
 * }</pre>
 *
 * <ul>
 *   <li>Every object gets the ownership labels {@value Labels#MANAGED_BY}{@code =}{@value
 *       Labels#MANAGED_BY_VALUE} and {@value #APPLY_SET_LABEL}{@code =<instance>}; the field
 *       manager is {@value #FIELD_MANAGER}; conflicts with other field managers are forced only
 *       when the caller opts in ({@link Builder#forceConflicts(boolean)}).
 *   <li>Before anything is sent, every object is checked (names, namespaces, labels); one bad
 *       object means nothing is applied ({@link
 *       io.github.gkeinference.core.validate.SdkValidationException}).
 *   <li>409 conflicts, 429 (waiting as long as the server's {@code Retry-After} asks), 5xx and
 *       timeouts are retried with jittered exponential backoff, bounded by the {@link RetryPolicy};
 *       other errors (400, 401, 403, 404, 422, and field-manager conflicts) fail at once. After a
 *       failure, the remaining objects are not attempted; the report says which.
 *   <li>Pruning (opt-in) deletes objects of the kinds in the set, in its namespaces, that carry
 *       both ownership labels with this instance but are no longer in the set. Objects without the
 *       labels are never touched. Pruning runs only when every object was applied.
 *   <li>{@link #diff(RenderedSet)} compares live and desired objects without changing anything.
 * </ul>
 *
 * <p>The client's own retries add to the applier's; turn them off ({@code
 * Config.requestRetryBackoffLimit = 0}) to keep the bound exact. The applier does not close the
 * client. Not thread-safe during one {@code apply}; separate calls may run in parallel.
 */
public final class KubernetesApplier {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesApplier.class);

  /** The server-side apply field manager. */
  public static final String FIELD_MANAGER = "gke-inference-sdk";

  /** The label naming the apply set (the applier's instance) an object belongs to. */
  public static final String APPLY_SET_LABEL = "gkeinference.github.io/apply-set";

  /** The default time a workload may take to become ready. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(15);

  private final KubernetesClient client;
  private final String instance;
  private final boolean forceConflicts;
  private final boolean dryRun;
  private final boolean prune;
  private final @Nullable Duration readyTimeout;
  private final Duration pollInterval;
  private final Retrier retrier;
  private final Consumer<ResourceResult> progress;

  private KubernetesApplier(Builder b) {
    this.client = b.client;
    this.instance = b.instance;
    this.forceConflicts = b.forceConflicts;
    this.dryRun = b.dryRun;
    this.prune = b.prune;
    this.readyTimeout = b.readyTimeout;
    this.pollInterval = b.pollInterval;
    this.retrier = Retrier.of(b.retryPolicy, b.clock, b.sleeper);
    this.progress = b.progress;
  }

  /**
   * Returns a builder.
   *
   * @param client the Kubernetes client; not closed by the applier
   * @param instance the name of this apply set, put on every object as {@value #APPLY_SET_LABEL}
   *     and used to find objects to prune; a valid label value such as the deployment's name
   * @return the builder
   */
  public static Builder builder(KubernetesClient client, String instance) {
    return new Builder(client, instance);
  }

  /**
   * Applies the Kubernetes objects of a set (its cloud resources are skipped), then prunes and
   * waits for readiness when configured.
   *
   * @param set the rendered set
   * @return the report, also when some objects failed
   * @throws io.github.gkeinference.core.validate.SdkValidationException when an object is invalid;
   *     nothing is applied then
   */
  public ApplyReport apply(RenderedSet set) {
    List<HasMetadata> objects = labelled(set);
    List<ResourceResult> results = new ArrayList<>();
    boolean failed = false;
    for (HasMetadata object : objects) {
      if (failed) {
        results.add(result(object, ApplyAction.NOT_ATTEMPTED, null, 0));
        continue;
      }
      ResourceResult r = applyOne(object);
      results.add(r);
      progress.accept(r);
      failed = r.action() == ApplyAction.FAILED;
    }
    if (!failed && prune) {
      for (HasMetadata stale : stale(objects)) {
        ResourceResult r = pruneOne(stale);
        results.add(r);
        progress.accept(r);
      }
    }
    if (!failed && !dryRun && readyTimeout != null) {
      awaitReadiness(objects, results);
    }
    return new ApplyReport(results, dryRun);
  }

  /**
   * Compares the live objects with the set without changing anything: which objects would be added,
   * which fields would change, which are unchanged, and (when pruning is on) which objects would be
   * pruned.
   *
   * @param set the rendered set
   * @return one entry per object, in apply order, then the would-prune ones
   * @throws io.github.gkeinference.core.validate.SdkValidationException when an object is invalid
   * @throws io.github.gkeinference.core.SdkException when the cluster cannot be read
   */
  public List<ResourceDiff> diff(RenderedSet set) {
    List<HasMetadata> objects = labelled(set);
    List<ResourceDiff> diffs = new ArrayList<>();
    for (HasMetadata object : objects) {
      HasMetadata live =
          retrier.call("get " + describe(object), () -> resource(object).get(), this::classify);
      String ns = object.getMetadata().getNamespace();
      if (live == null) {
        diffs.add(
            new ResourceDiff(
                object.getKind(), ns, name(object), ResourceDiff.Change.ADDED, List.of()));
        continue;
      }
      List<String> changed = changedFields(object, live);
      diffs.add(
          new ResourceDiff(
              object.getKind(),
              ns,
              name(object),
              changed.isEmpty() ? ResourceDiff.Change.UNCHANGED : ResourceDiff.Change.CHANGED,
              changed));
    }
    if (prune) {
      for (HasMetadata stale : stale(objects)) {
        diffs.add(
            new ResourceDiff(
                stale.getKind(),
                stale.getMetadata().getNamespace(),
                name(stale),
                ResourceDiff.Change.WOULD_PRUNE,
                List.of()));
      }
    }
    return diffs;
  }

  /** Validates every object, then returns copies carrying the ownership labels. */
  private List<HasMetadata> labelled(RenderedSet set) {
    Violations v = Violations.root("resources");
    List<KubernetesResource> resources = set.kubernetesResources();
    List<HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      HasMetadata o = resources.get(i).object();
      Violations at = v.at("", i);
      String n = name(o);
      at.require(
          KubernetesNames.isDns1123Subdomain(n),
          "metadata.name",
          n,
          "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'");
      String ns = o.getMetadata().getNamespace();
      if (ns != null) {
        at.require(
            KubernetesNames.isDns1123Label(ns),
            "metadata.namespace",
            ns,
            "must be a DNS-1123 label");
      }
      Map<String, String> labels = o.getMetadata().getLabels();
      if (labels != null) {
        labels.forEach(
            (key, value) -> {
              at.require(
                  KubernetesNames.isLabelKey(key),
                  "metadata.labels",
                  key,
                  "is not a valid label key");
              at.require(
                  value != null && KubernetesNames.isLabelValue(value),
                  "metadata.labels[" + key + "]",
                  value,
                  "is not a valid label value");
            });
      }
      Map<String, String> withOwnership = new LinkedHashMap<>(labels == null ? Map.of() : labels);
      withOwnership.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
      withOwnership.put(APPLY_SET_LABEL, instance);
      o.getMetadata().setLabels(withOwnership);
      objects.add(o);
    }
    v.throwIfErrors();
    return objects;
  }

  private ResourceResult applyOne(HasMetadata object) {
    AtomicInteger attempts = new AtomicInteger();
    try {
      ApplyAction action =
          retrier.call(
              "apply " + describe(object),
              () -> {
                attempts.incrementAndGet();
                HasMetadata live = resource(object).get();
                Resource<HasMetadata> target = resource(object);
                if (dryRun) {
                  target = resourceDryRun(object);
                }
                var apply = target.fieldManager(FIELD_MANAGER);
                if (forceConflicts) {
                  apply = apply.forceConflicts();
                }
                apply.serverSideApply();
                if (live == null) {
                  return ApplyAction.CREATED;
                }
                return changedFields(object, live).isEmpty()
                    ? ApplyAction.UNCHANGED
                    : ApplyAction.CONFIGURED;
              },
              this::classify);
      LOG.info("{} {}{}", describe(object), action, dryRun ? " (dry run)" : "");
      return result(object, action, null, attempts.get());
    } catch (KubernetesClientException e) {
      String reason = reason(e, object);
      LOG.warn("{} failed: {}", describe(object), reason);
      return result(object, ApplyAction.FAILED, reason, attempts.get());
    }
  }

  private ResourceResult pruneOne(HasMetadata stale) {
    if (dryRun) {
      return result(stale, ApplyAction.WOULD_PRUNE, null, 0);
    }
    AtomicInteger attempts = new AtomicInteger();
    try {
      retrier.call(
          "prune " + describe(stale),
          () -> {
            attempts.incrementAndGet();
            return resource(stale).delete();
          },
          this::classify);
      LOG.info("{} pruned", describe(stale));
      return result(stale, ApplyAction.PRUNED, null, attempts.get());
    } catch (KubernetesClientException e) {
      return result(stale, ApplyAction.FAILED, reason(e, stale), attempts.get());
    }
  }

  /**
   * Lists the objects of the set's kinds, in its namespaces, that carry both ownership labels of
   * this instance but are not in the set.
   */
  private List<HasMetadata> stale(List<HasMetadata> objects) {
    Set<String> wanted = new HashSet<>();
    Map<String, HasMetadata> scopes = new LinkedHashMap<>();
    for (HasMetadata o : objects) {
      wanted.add(identity(o, o));
      scopes.putIfAbsent(
          o.getApiVersion() + "/" + o.getKind() + "/" + o.getMetadata().getNamespace(), o);
    }
    Map<String, String> ownership =
        Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, APPLY_SET_LABEL, instance);
    List<HasMetadata> stale = new ArrayList<>();
    for (HasMetadata sample : scopes.values()) {
      List<? extends HasMetadata> found =
          retrier.call("list " + sample.getKind(), () -> list(sample, ownership), this::classify);
      for (HasMetadata live : found) {
        Map<String, String> labels = live.getMetadata().getLabels();
        boolean owned =
            labels != null
                && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))
                && instance.equals(labels.get(APPLY_SET_LABEL));
        if (owned && !wanted.contains(identity(sample, live))) {
          stale.add(live);
        }
      }
    }
    return stale;
  }

  private List<? extends HasMetadata> list(HasMetadata sample, Map<String, String> labels) {
    String ns = sample.getMetadata().getNamespace();
    if (needsDefinition(sample)) {
      String apiVersion = sample.getApiVersion();
      int slash = apiVersion.indexOf('/');
      var op =
          client.genericKubernetesResources(
              new ResourceDefinitionContext.Builder()
                  .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                  .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
                  .withKind(sample.getKind())
                  .withPlural(plural(sample))
                  .withNamespaced(ns != null)
                  .build());
      return (ns == null ? op.withLabels(labels) : op.inNamespace(ns).withLabels(labels))
          .list()
          .getItems();
    }
    var op = client.resources(sample.getClass());
    return (ns == null ? op.withLabels(labels) : op.inNamespace(ns).withLabels(labels))
        .list()
        .getItems();
  }

  private void awaitReadiness(List<HasMetadata> objects, List<ResourceResult> results) {
    for (int i = 0; i < objects.size(); i++) {
      HasMetadata object = objects.get(i);
      if (!hasReadinessRule(object.getKind())) {
        continue;
      }
      Optional<Boolean> ready =
          retrier.poll(
              "readiness of " + describe(object),
              Objects.requireNonNull(readyTimeout),
              pollInterval,
              () -> false,
              () -> {
                HasMetadata live = resource(object).get();
                return live != null && isReady(ManifestYaml.tree(live))
                    ? Optional.of(true)
                    : Optional.empty();
              });
      ResourceResult r =
          results
              .get(i)
              .withReadiness(
                  ready.isPresent()
                      ? ResourceResult.Readiness.READY
                      : ResourceResult.Readiness.NOT_READY);
      results.set(i, r);
      progress.accept(r);
    }
  }

  private static boolean hasReadinessRule(String kind) {
    return kind.equals("Deployment")
        || kind.equals("StatefulSet")
        || kind.equals("LeaderWorkerSet");
  }

  /**
   * Deployments and StatefulSets: the controller saw the latest generation and every replica is
   * updated and ready (what {@code kubectl rollout status} waits for). LeaderWorkerSets: the {@code
   * Available} condition is {@code True}.
   */
  static boolean isReady(JsonNode live) {
    JsonNode status = live.path("status");
    String kind = live.path("kind").asString("");
    if (kind.equals("LeaderWorkerSet")) {
      for (JsonNode c : status.path("conditions")) {
        if (c.path("type").asString("").equals("Available")) {
          return c.path("status").asString("").equals("True");
        }
      }
      return false;
    }
    long generation = live.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(-1);
    long replicas = live.path("spec").path("replicas").asLong(1);
    long ready =
        kind.equals("StatefulSet")
            ? status.path("readyReplicas").asLong(0)
            : status.path("availableReplicas").asLong(0);
    return observed >= generation
        && status.path("updatedReplicas").asLong(0) >= replicas
        && ready >= replicas;
  }

  private Retrier.Decision classify(RuntimeException e) {
    if (!(e instanceof KubernetesClientException k)) {
      return Retrier.Decision.fail();
    }
    int code = k.getCode();
    if (code == 409 && isFieldManagerConflict(k.getStatus())) {
      return Retrier.Decision.fail();
    }
    if (code == 429) {
      Status s = k.getStatus();
      Integer seconds =
          s == null || s.getDetails() == null ? null : s.getDetails().getRetryAfterSeconds();
      return seconds != null && seconds > 0
          ? Retrier.Decision.retryAfter(Duration.ofSeconds(seconds))
          : Retrier.Decision.retry();
    }
    if (code == 409 || code >= 500) {
      return Retrier.Decision.retry();
    }
    if (code == 0 || isTimeout(k)) {
      return Retrier.Decision.retry();
    }
    return Retrier.Decision.fail();
  }

  private static boolean isFieldManagerConflict(@Nullable Status status) {
    if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
      return false;
    }
    for (StatusCause c : status.getDetails().getCauses()) {
      if (c.getReason() != null && c.getReason().startsWith("FieldManagerConflict")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private String reason(KubernetesClientException e, HasMetadata object) {
    Status s = e.getStatus();
    String message = s != null && s.getMessage() != null ? s.getMessage() : e.getMessage();
    String hint =
        e.getCode() == 409 && isFieldManagerConflict(s)
            ? " (another field manager owns these fields; set forceConflicts(true) to take them)"
            : "";
    return (e.getCode() == 0 ? "no response" : "HTTP " + e.getCode())
        + " on "
        + path(object)
        + ": "
        + message
        + hint;
  }

  private ResourceResult result(
      HasMetadata o, ApplyAction action, @Nullable String reason, int attempts) {
    return new ResourceResult(
        o.getKind(),
        o.getMetadata().getNamespace(),
        name(o),
        path(o),
        action,
        reason,
        attempts,
        ResourceResult.Readiness.NOT_CHECKED);
  }

  @SuppressWarnings("unchecked")
  private Resource<HasMetadata> resource(HasMetadata object) {
    if (needsDefinition(object)) {
      return (Resource<HasMetadata>) (Resource<?>) generic(object);
    }
    return (Resource<HasMetadata>) (Resource<?>) client.resource(object);
  }

  @SuppressWarnings("unchecked")
  private Resource<HasMetadata> resourceDryRun(HasMetadata object) {
    if (needsDefinition(object)) {
      return (Resource<HasMetadata>) (Resource<?>) generic(object).dryRun();
    }
    return (Resource<HasMetadata>) (Resource<?>) client.resource(object).dryRun();
  }

  /**
   * Whether fabric8 cannot map the object to an endpoint by itself: a generic resource (a custom
   * kind read from YAML) or one of the SDK's own typed custom resources. Those are sent as generic
   * resources with an explicit definition (group, version, plural, scope), so no API discovery is
   * needed.
   */
  private static boolean needsDefinition(HasMetadata object) {
    return object instanceof GenericKubernetesResource
        || !object.getClass().getName().startsWith("io.fabric8.");
  }

  private Resource<GenericKubernetesResource> generic(HasMetadata object) {
    String apiVersion = object.getApiVersion();
    int slash = apiVersion.indexOf('/');
    ResourceDefinitionContext definition =
        new ResourceDefinitionContext.Builder()
            .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
            .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
            .withKind(object.getKind())
            .withPlural(plural(object))
            .withNamespaced(object.getMetadata().getNamespace() != null)
            .build();
    GenericKubernetesResource item =
        object instanceof GenericKubernetesResource g
            ? g
            : Fabric8Runtime.serialization().convertValue(object, GenericKubernetesResource.class);
    var op = client.genericKubernetesResources(definition);
    String ns = object.getMetadata().getNamespace();
    return ns == null ? op.resource(item) : op.inNamespace(ns).resource(item);
  }

  private static List<String> changedFields(HasMetadata desired, HasMetadata live) {
    JsonNode d = ManifestYaml.tree(desired);
    JsonNode l = ManifestYaml.tree(live);
    List<String> out = new ArrayList<>();
    JsonSubset.differences("", d, l, out);
    return out;
  }

  /** Returns the API path of an object, for messages. */
  static String path(HasMetadata o) {
    String apiVersion = o.getApiVersion();
    String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String ns = o.getMetadata().getNamespace();
    boolean namespaced = ns != null || o instanceof Namespaced;
    return base
        + (namespaced && ns != null ? "/namespaces/" + ns : "")
        + "/"
        + plural(o)
        + "/"
        + name(o);
  }

  private static String plural(HasMetadata o) {
    if (!(o instanceof GenericKubernetesResource)) {
      String p = HasMetadata.getPlural(o.getClass());
      if (p != null && !p.isEmpty()) {
        return p;
      }
    }
    return Pluralize.toPlural(o.getKind().toLowerCase(Locale.ROOT));
  }

  /** The identity of {@code object}, taking API group and kind from {@code type}. */
  private static String identity(HasMetadata type, HasMetadata object) {
    String apiVersion = type.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return group
        + "/"
        + type.getKind()
        + "/"
        + object.getMetadata().getNamespace()
        + "/"
        + name(object);
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }

  private static String describe(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return o.getKind() + " " + (ns == null ? "" : ns + "/") + name(o);
  }

  /** Builds a {@link KubernetesApplier}. */
  public static final class Builder {
    private final KubernetesClient client;
    private final String instance;
    private boolean forceConflicts;
    private boolean dryRun;
    private boolean prune;
    private @Nullable Duration readyTimeout;
    private Duration pollInterval = Duration.ofSeconds(5);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Consumer<ResourceResult> progress = r -> {};

    private Builder(KubernetesClient client, String instance) {
      this.client = Objects.requireNonNull(client, "client");
      this.instance = Objects.requireNonNull(instance, "instance");
      Violations v = Violations.root("applier");
      v.require(
          !instance.isEmpty() && KubernetesNames.isLabelValue(instance),
          "instance",
          instance,
          "must be a valid label value: at most 63 letters, digits, '-', '_' or '.'");
      v.throwIfErrors();
    }

    /**
     * Takes over fields that another field manager owns instead of failing; default {@code false}.
     *
     * @param force whether to force
     * @return this builder
     */
    public Builder forceConflicts(boolean force) {
      this.forceConflicts = force;
      return this;
    }

    /**
     * Sends every apply as a server-side dry run: the server validates and defaults, nothing
     * changes, nothing is pruned; default {@code false}.
     *
     * @param dryRun whether to dry-run
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Deletes objects this instance applied earlier that are no longer in the set; default {@code
     * false}.
     *
     * @param prune whether to prune
     * @return this builder
     */
    public Builder prune(boolean prune) {
      this.prune = prune;
      return this;
    }

    /**
     * Waits after applying until Deployments, StatefulSets and LeaderWorkerSets are ready, at most
     * {@code timeout} for each; default: no wait.
     *
     * @param timeout how long each workload may take
     * @return this builder
     */
    public Builder waitForReady(Duration timeout) {
      this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets the wait between two readiness checks; default 5 s.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Sets the retry policy; default {@link RetryPolicy#defaults()}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the clock; default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how to wait between retries and polls; default {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the listener told about each resource's result as soon as it is known.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder progress(Consumer<ResourceResult> listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Builds the applier. */
    public KubernetesApplier build() {
      return new KubernetesApplier(this);
    }
  }
}
