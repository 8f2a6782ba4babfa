package io.github.gkeinference.core.cluster;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.CancelOperationRequest;
import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterUpdate;
import com.google.container.v1.CreateClusterRequest;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.container.v1.DeleteClusterRequest;
import com.google.container.v1.GetClusterRequest;
import com.google.container.v1.GetOperationRequest;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import com.google.container.v1.UpdateClusterRequest;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, reads, updates and deletes GKE clusters and node pools through the GKE API, waiting for
 * each long-running operation.
 *
 * <pre>{@code
 * try (ClusterManagerClient gke = ClusterManagerClient.create()) {
 *   ClusterProvisioner provisioner = ClusterProvisioner.builder(gke)
 *       .progress(u -> log.info("{} {}% {}", u.type(), u.percent(), u.stage()))
 *       .build();
 *   ProvisionResult result = provisioner.createOrUpdate(ClusterSpec.inferenceDefaults("p", "us-east4"));
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #create} treats {@code ALREADY_EXISTS} as "compare and report": the result says
 *       whether the live cluster matches ({@link ProvisionResult.Outcome#UNCHANGED}) or which
 *       fields differ ({@link ProvisionResult.Outcome#DIFFERS}); {@link #createOrUpdate} updates
 *       them.
 *   <li>{@link #update} sends one {@code UpdateCluster} per differing field and waits for each
 *       operation before the next, because GKE runs one update at a time; missing node pools are
 *       created the same way.
 *   <li>Deleting needs the cluster's name a second time ({@link #delete(ClusterSpec, String)}).
 *   <li>Each operation is polled every {@link Builder#pollInterval(Duration)} until done, the
 *       {@link Builder#operationTimeout(Duration)} passes, or {@link
 *       Builder#cancelWhen(BooleanSupplier)} says stop (then the operation is cancelled). Transient
 *       errors ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, and {@code FAILED_PRECONDITION}
 *       while another operation runs) are retried by the retry policy.
 * </ul>
 *
 * <p>Every failure is a {@link ProvisioningException} naming the cluster and the operation. The
 * provisioner does not close the client it was given. Thread-safe if the listener is.
 */
public final class ClusterProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterProvisioner.class);

  /** The default wait between two polls of an operation. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  /**
   * The default time allowed for one operation: creating a regional cluster usually takes well
   * under this.
   */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofMinutes(45);

  private static final Set<StatusCode.Code> TRANSIENT =
      Set.of(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED);

  private final ClusterManagerClient client;
  private final Retrier retrier;
  private final Duration pollInterval;
  private final Duration operationTimeout;
  private final Consumer<OperationUpdate> progress;
  private final BooleanSupplier cancelled;

  private ClusterProvisioner(Builder b) {
    this.client = b.client;
    this.retrier = Retrier.of(b.retryPolicy, b.clock, b.sleeper);
    this.pollInterval = b.pollInterval;
    this.operationTimeout = b.operationTimeout;
    this.progress = b.progress;
    this.cancelled = b.cancelled;
  }

  /**
   * Returns a builder.
   *
   * @param client the GKE client; not closed by the provisioner
   * @return the builder
   */
  public static Builder builder(ClusterManagerClient client) {
    return new Builder(client);
  }

  /**
   * Returns the live cluster, if it exists.
   *
   * @param spec the cluster
   * @return the cluster, or empty when GKE says {@code NOT_FOUND}
   * @throws ProvisioningException when the call fails otherwise
   */
  public Optional<Cluster> find(ClusterSpec spec) {
    String name = spec.resourceName();
    try {
      return Optional.of(
          call(
              name,
              "GetCluster",
              () -> client.getCluster(GetClusterRequest.newBuilder().setName(name).build())));
    } catch (ProvisioningException e) {
      if (e.getCause() instanceof ApiException api
          && api.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Creates the cluster; when it already exists, compares it with the spec and reports.
   *
   * @param spec the cluster
   * @return {@code CREATED}, or {@code UNCHANGED}/{@code DIFFERS} when it existed
   * @throws ProvisioningException when a call or the operation fails or times out
   */
  public ProvisionResult create(ClusterSpec spec) {
    return create(spec, false);
  }

  /**
   * Creates the cluster, or updates the fields that differ when it already exists.
   *
   * @param spec the cluster
   * @return {@code CREATED}, {@code UPDATED} or {@code UNCHANGED}
   * @throws ProvisioningException when a call or an operation fails or times out
   */
  public ProvisionResult createOrUpdate(ClusterSpec spec) {
    return create(spec, true);
  }

  /**
   * Updates the fields of the live cluster that differ from the spec, one operation at a time, and
   * creates missing node pools. Fields GKE cannot change are reported in {@link
   * ProvisionResult#needsRecreation()}, not changed.
   *
   * @param spec the cluster
   * @return {@code UPDATED} or {@code UNCHANGED}
   * @throws ProvisioningException when the cluster does not exist or an operation fails
   */
  public ProvisionResult update(ClusterSpec spec) {
    String name = spec.resourceName();
    Cluster live =
        find(spec)
            .orElseThrow(
                () -> new ProvisioningException(name, null, "cluster does not exist", null));
    return update(spec, live);
  }

  /**
   * Deletes the cluster and waits until it is gone. The name must be given a second time, so that a
   * cluster is never deleted by accident.
   *
   * @param spec the cluster
   * @param confirmName the cluster's name again
   * @throws IllegalArgumentException when {@code confirmName} is not the spec's name
   * @throws ProvisioningException when the call or the operation fails
   */
  public void delete(ClusterSpec spec, String confirmName) {
    if (!spec.name().equals(confirmName)) {
      throw new IllegalArgumentException(
          "confirmName must repeat the cluster's name '" + spec.name() + "' to delete it");
    }
    String name = spec.resourceName();
    Operation op =
        call(
            name,
            "DeleteCluster",
            () -> client.deleteCluster(DeleteClusterRequest.newBuilder().setName(name).build()));
    await(spec, op);
  }

  /**
   * Creates a node pool in the cluster and waits for it.
   *
   * @param spec the cluster
   * @param pool the node pool, for example from the accelerators module
   * @return the node pool as GKE reports it
   * @throws ProvisioningException when the call or the operation fails
   */
  public NodePool createNodePool(ClusterSpec spec, NodePool pool) {
    String name = spec.resourceName();
    Operation op =
        call(
            name,
            "CreateNodePool " + pool.getName(),
            () ->
                client.createNodePool(
                    CreateNodePoolRequest.newBuilder().setParent(name).setNodePool(pool).build()));
    await(spec, op);
    return call(
        name, "GetNodePool", () -> client.getNodePool(name + "/nodePools/" + pool.getName()));
  }

  private ProvisionResult create(ClusterSpec spec, boolean updateExisting) {
    String name = spec.resourceName();
    Cluster desired = spec.cluster();
    Operation op;
    try {
      op =
          call(
              name,
              "CreateCluster",
              () ->
                  client.createCluster(
                      CreateClusterRequest.newBuilder()
                          .setParent(spec.parent())
                          .setCluster(desired)
                          .build()));
    } catch (ProvisioningException e) {
      if (e.getCause() instanceof ApiException api
          && api.getStatusCode().getCode() == StatusCode.Code.ALREADY_EXISTS) {
        Cluster live = find(spec).orElseThrow(() -> e);
        LOG.info("cluster {} already exists; comparing with the spec", name);
        return updateExisting ? update(spec, live) : compare(spec, live);
      }
      throw e;
    }
    await(spec, op);
    Cluster live =
        find(spec)
            .orElseThrow(
                () ->
                    new ProvisioningException(
                        name, op.getName(), "cluster vanished after creation", null));
    List<String> pools = desired.getNodePoolsList().stream().map(NodePool::getName).toList();
    return new ProvisionResult(
        name, ProvisionResult.Outcome.CREATED, List.of(), List.of(), pools, live);
  }

  private ProvisionResult compare(ClusterSpec spec, Cluster live) {
    Cluster desired = spec.cluster();
    List<String> changed =
        ClusterChanges.updatable(desired, live).stream().map(ClusterChanges.Aspect::field).toList();
    List<String> missingPools =
        missingPools(desired, live).stream().map(p -> "nodePools[" + p.getName() + "]").toList();
    List<String> all = new ArrayList<>(changed);
    all.addAll(missingPools);
    List<String> fixed = ClusterChanges.fixed(desired, live);
    ProvisionResult.Outcome outcome =
        all.isEmpty() && fixed.isEmpty()
            ? ProvisionResult.Outcome.UNCHANGED
            : ProvisionResult.Outcome.DIFFERS;
    return new ProvisionResult(spec.resourceName(), outcome, all, fixed, List.of(), live);
  }

  private ProvisionResult update(ClusterSpec spec, Cluster live) {
    String name = spec.resourceName();
    Cluster desired = spec.cluster();
    List<String> changed = new ArrayList<>();
    for (ClusterChanges.Aspect aspect : ClusterChanges.updatable(desired, live)) {
      ClusterUpdate.Builder update = ClusterUpdate.newBuilder();
      aspect.set().accept(update, desired);
      LOG.info("updating {} of cluster {}", aspect.field(), name);
      Operation op =
          call(
              name,
              "UpdateCluster " + aspect.field(),
              () ->
                  client.updateCluster(
                      UpdateClusterRequest.newBuilder().setName(name).setUpdate(update).build()));
      await(spec, op);
      changed.add(aspect.field());
    }
    List<String> created = new ArrayList<>();
    for (NodePool pool : missingPools(desired, live)) {
      createNodePool(spec, pool);
      created.add(pool.getName());
    }
    List<String> fixed = ClusterChanges.fixed(desired, live);
    Cluster after = changed.isEmpty() && created.isEmpty() ? live : find(spec).orElse(live);
    ProvisionResult.Outcome outcome =
        changed.isEmpty() && created.isEmpty()
            ? ProvisionResult.Outcome.UNCHANGED
            : ProvisionResult.Outcome.UPDATED;
    return new ProvisionResult(name, outcome, changed, fixed, created, after);
  }

  private static List<NodePool> missingPools(Cluster desired, Cluster live) {
    Set<String> existing =
        Set.copyOf(live.getNodePoolsList().stream().map(NodePool::getName).toList());
    return desired.getNodePoolsList().stream()
        .filter(p -> !existing.contains(p.getName()))
        .toList();
  }

  /** Waits for an operation to finish; throws when it fails, times out or is cancelled. */
  private void await(ClusterSpec spec, Operation started) {
    String cluster = spec.resourceName();
    String location = started.getLocation().isEmpty() ? spec.location() : started.getLocation();
    String opName =
        "projects/"
            + spec.project()
            + "/locations/"
            + location
            + "/operations/"
            + started.getName();
    Operation[] latest = {started};
    progress.accept(OperationUpdate.of(cluster, started));
    Optional<Operation> done;
    try {
      done =
          retrier.poll(
              "operation " + started.getName() + " on " + cluster,
              operationTimeout,
              pollInterval,
              cancelled,
              () -> {
                if (latest[0].getStatus() != Operation.Status.DONE) {
                  latest[0] =
                      call(
                          cluster,
                          "GetOperation " + started.getName(),
                          () ->
                              client.getOperation(
                                  GetOperationRequest.newBuilder().setName(opName).build()));
                  progress.accept(OperationUpdate.of(cluster, latest[0]));
                }
                return latest[0].getStatus() == Operation.Status.DONE
                    ? Optional.of(latest[0])
                    : Optional.empty();
              });
    } catch (SdkException e) {
      if (e instanceof ProvisioningException) {
        throw e;
      }
      cancelQuietly(opName);
      throw new ProvisioningException(cluster, started.getName(), "interrupted while waiting", e);
    }
    if (done.isEmpty()) {
      boolean wasCancelled = cancelled.getAsBoolean();
      cancelQuietly(opName);
      throw new ProvisioningException(
          cluster,
          started.getName(),
          wasCancelled
              ? "operation " + started.getOperationType() + " cancelled by the caller"
              : "operation "
                  + started.getOperationType()
                  + " did not finish within "
                  + operationTimeout,
          null);
    }
    Operation op = done.get();
    if (op.hasError() && op.getError().getCode() != 0) {
      throw new ProvisioningException(
          cluster,
          op.getName(),
          "operation "
              + op.getOperationType()
              + " failed: "
              + com.google.rpc.Code.forNumber(op.getError().getCode())
              + " "
              + op.getError().getMessage(),
          null);
    }
  }

  private void cancelQuietly(String opName) {
    try {
      client.cancelOperation(CancelOperationRequest.newBuilder().setName(opName).build());
    } catch (ApiException e) {
      LOG.warn("could not cancel {}: {}", opName, e.getMessage());
    }
  }

  /** Runs one GKE call with retries on transient errors; wraps failures with the cluster name. */
  private <T> T call(String cluster, String what, Supplier<T> action) {
    try {
      return retrier.call(
          what + " " + cluster,
          action,
          e -> {
            if (e instanceof ApiException api) {
              StatusCode.Code code = api.getStatusCode().getCode();
              if (TRANSIENT.contains(code)
                  || (code == StatusCode.Code.FAILED_PRECONDITION && what.startsWith("Update"))) {
                return Retrier.Decision.retry();
              }
            }
            return Retrier.Decision.fail();
          });
    } catch (ApiException e) {
      throw new ProvisioningException(
          cluster,
          null,
          what + " failed: " + e.getStatusCode().getCode() + " " + e.getMessage(),
          e);
    }
  }

  /** Builds a {@link ClusterProvisioner}. */
  public static final class Builder {
    private final ClusterManagerClient client;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
    private Consumer<OperationUpdate> progress = u -> LOG.debug("{}", u);
    private BooleanSupplier cancelled = () -> false;

    private Builder(ClusterManagerClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Sets the retry policy for transient API errors.
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
     * Sets how to wait between polls and retries; default {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the wait between two polls of an operation; default {@link #DEFAULT_POLL_INTERVAL}.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Sets how long one operation may take; default {@link #DEFAULT_OPERATION_TIMEOUT}.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder operationTimeout(Duration timeout) {
      this.operationTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets the listener told about each poll of an operation.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder progress(Consumer<OperationUpdate> listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets a condition checked before each poll: when it becomes true, the running operation is
     * cancelled and the call fails.
     *
     * @param condition the cancellation condition
     * @return this builder
     */
    public Builder cancelWhen(BooleanSupplier condition) {
      this.cancelled = Objects.requireNonNull(condition, "condition");
      return this;
    }

    /** Builds the provisioner. */
    public ClusterProvisioner build() {
      return new ClusterProvisioner(this);
    }
  }
}
