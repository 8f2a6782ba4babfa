package io.github.gkeinference.testing.gke;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import com.google.container.v1.CancelOperationRequest;
import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterManagerGrpc;
import com.google.container.v1.CreateClusterRequest;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.container.v1.DeleteClusterRequest;
import com.google.container.v1.DeleteNodePoolRequest;
import com.google.container.v1.GetClusterRequest;
import com.google.container.v1.GetNodePoolRequest;
import com.google.container.v1.GetOperationRequest;
import com.google.container.v1.ListClustersRequest;
import com.google.container.v1.ListClustersResponse;
import com.google.container.v1.ListNodePoolsRequest;
import com.google.container.v1.ListNodePoolsResponse;
import com.google.container.v1.ListOperationsRequest;
import com.google.container.v1.ListOperationsResponse;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import com.google.container.v1.OperationProgress;
import com.google.container.v1.SetNodePoolAutoscalingRequest;
import com.google.container.v1.UpdateClusterRequest;
import com.google.container.v1.UpdateNodePoolRequest;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Empty;
import io.github.gkeinference.testing.internal.CallLog;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An in-process fake of the GKE API ({@code google.container.v1.ClusterManager}): clusters and node
 * pools can be created, read, listed, updated and deleted, and every change runs as a long-running
 * operation that goes through {@code PENDING}, {@code RUNNING} and {@code DONE}.
 *
 * <p>It is built on the real generated {@link ClusterManagerGrpc.ClusterManagerImplBase} and served
 * over an in-process gRPC channel; {@link #client()} is the real {@link ClusterManagerClient} with
 * no credentials, so code under test talks to it exactly as it would to GKE.
 *
 * <pre>{@code
 * try (FakeClusterManager gke = FakeClusterManager.start()) {
 *   gke.pollsUntilDone(3).failNextOperation(com.google.rpc.Code.RESOURCE_EXHAUSTED, "no quota");
 *   new ClusterProvisioner(gke.client(), ...).create(spec);
 * }
 * }</pre>
 *
 * <p>Behaviour that mirrors GKE: a second create of the same cluster fails with {@code
 * ALREADY_EXISTS}; a read of a missing cluster with {@code NOT_FOUND}; an update that sets more
 * than one {@code desired_*} field is rejected with {@code INVALID_ARGUMENT}, and a change while
 * another operation on the same cluster runs with {@code FAILED_PRECONDITION}, because GKE applies
 * one update at a time. An operation reports its progress as the metrics {@value #PROGRESS_METRIC}
 * and {@value #PROGRESS_METRIC}{@code _TOTAL} (names chosen by this fake) and one stage named after
 * its type; each {@code GetOperation} call moves it one step forward.
 *
 * <p>Thread-safe. {@link #close()} closes the client, the channel and the server.
 */
public final class FakeClusterManager implements AutoCloseable {
  /** The name of the progress metric this fake reports on its operations. */
  public static final String PROGRESS_METRIC = "STEPS";

  private final Object lock = new Object();
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private final Map<String, OperationState> operations = new LinkedHashMap<>();
  private final CallLog log = new CallLog();
  private final List<UpdateClusterRequest> updates = new ArrayList<>();
  private final Deque<com.google.rpc.Status> operationFailures = new ArrayDeque<>();
  private int pollsUntilDone = 2;
  private boolean hangOperations;
  private int operationCounter;

  private final InProcessGrpc grpc;
  private final ClusterManagerSettings settings;
  private final LazyClient<ClusterManagerClient> client;

  private FakeClusterManager() {
    grpc = InProcessGrpc.start(new Service());
    settings =
        InProcessGrpc.settings(
            () ->
                ClusterManagerSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    client = LazyClient.of(() -> ClusterManagerClient.create(settings));
  }

  /** Starts a fake with no clusters. */
  public static FakeClusterManager start() {
    return new FakeClusterManager();
  }

  /**
   * Returns the real client connected to this fake (created on first use, closed by {@link
   * #close()}).
   */
  public ClusterManagerClient client() {
    return client.get();
  }

  /** Returns client settings that reach this fake, for code that builds its own client. */
  public ClusterManagerSettings settings() {
    return settings;
  }

  /**
   * Sets how many {@code GetOperation} calls an operation needs to reach {@code DONE}; default 2
   * (one {@code RUNNING}, then {@code DONE}).
   *
   * @param polls at least 1
   * @return this fake
   */
  public FakeClusterManager pollsUntilDone(int polls) {
    if (polls < 1) {
      throw new IllegalArgumentException("polls must be at least 1");
    }
    synchronized (lock) {
      pollsUntilDone = polls;
    }
    return this;
  }

  /**
   * Makes operations stay {@code RUNNING} forever (or until cancelled), to test timeouts.
   *
   * @param hang whether operations hang
   * @return this fake
   */
  public FakeClusterManager hangOperations(boolean hang) {
    synchronized (lock) {
      hangOperations = hang;
    }
    return this;
  }

  /**
   * Makes the next call of one RPC fail at once with a gRPC status.
   *
   * @param method the RPC name, for example {@code CreateCluster}
   * @param code the status code
   * @param message the status description
   * @return this fake
   */
  public FakeClusterManager failNextCall(String method, Status.Code code, String message) {
    log.failNext(method, code, message);
    return this;
  }

  /**
   * Makes the next operation that starts end in {@code DONE} with this error; its change is not
   * applied (a cluster being created goes to {@code ERROR}).
   *
   * @param code the error code
   * @param message the error message
   * @return this fake
   */
  public FakeClusterManager failNextOperation(com.google.rpc.Code code, String message) {
    synchronized (lock) {
      operationFailures.add(
          com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build());
    }
    return this;
  }

  /**
   * Stores a cluster as if it had been created earlier, in state {@code RUNNING}.
   *
   * @param parent {@code projects/<project>/locations/<location>}
   * @param cluster the cluster
   * @return this fake
   */
  public FakeClusterManager putCluster(String parent, Cluster cluster) {
    synchronized (lock) {
      clusters.put(
          parent + "/clusters/" + cluster.getName(),
          stored(parent, cluster).toBuilder().setStatus(Cluster.Status.RUNNING).build());
    }
    return this;
  }

  /**
   * Returns a stored cluster.
   *
   * @param name {@code projects/<project>/locations/<location>/clusters/<cluster>}
   * @return the cluster, if present
   */
  public Optional<Cluster> cluster(String name) {
    synchronized (lock) {
      return Optional.ofNullable(clusters.get(name));
    }
  }

  /** Returns the RPC names called so far, in order, for example {@code CreateCluster}. */
  public List<String> calls() {
    return log.calls();
  }

  /** Returns every {@code UpdateCluster} request received, in order. */
  public List<UpdateClusterRequest> updateRequests() {
    synchronized (lock) {
      return List.copyOf(updates);
    }
  }

  /** Returns every operation started so far, in its latest state. */
  public List<Operation> operations() {
    synchronized (lock) {
      return operations.values().stream().map(s -> s.operation).toList();
    }
  }

  @Override
  public void close() {
    client.close();
    grpc.close();
  }

  private static Cluster stored(String parent, Cluster cluster) {
    String location = parent.substring(parent.lastIndexOf('/') + 1);
    return cluster.toBuilder()
        .setLocation(location)
        .setSelfLink(
            "https://container.googleapis.com/v1/" + parent + "/clusters/" + cluster.getName())
        .build();
  }

  /** Returns the parent of a child resource name: everything before {@code /<collection>/}. */
  private static String parentOf(String name, String collection) {
    int i = name.lastIndexOf("/" + collection + "/");
    return i < 0 ? name : name.substring(0, i);
  }

  private static String locationOf(String name) {
    String[] parts = name.split("/");
    return parts.length > 3 ? parts[3] : "";
  }

  /** Must be called with the lock held. Throws the queued failure of {@code method}, if any. */
  private void record(String method) {
    log.recordOrFail(method, method);
  }

  /** Must be called with the lock held. */
  private void requireNoRunningOperation(String target) {
    for (OperationState s : operations.values()) {
      if (s.target.equals(target) && s.operation.getStatus() != Operation.Status.DONE) {
        throw Status.FAILED_PRECONDITION
            .withDescription(
                "Cluster is running incompatible operation " + s.operation.getName() + ".")
            .asRuntimeException();
      }
    }
  }

  /** Must be called with the lock held. */
  private Operation startOperation(
      Operation.Type type, String target, Runnable onSuccess, Runnable onFailure) {
    String name = "operation-" + (++operationCounter);
    Operation op =
        Operation.newBuilder()
            .setName(name)
            .setOperationType(type)
            .setStatus(Operation.Status.PENDING)
            .setLocation(locationOf(target))
            .setTargetLink("https://container.googleapis.com/v1/" + target)
            .setSelfLink(
                "https://container.googleapis.com/v1/"
                    + target.substring(0, target.indexOf("/clusters/"))
                    + "/operations/"
                    + name)
            .setProgress(progress(type, 0, Operation.Status.PENDING))
            .build();
    OperationState state =
        new OperationState(op, target, onSuccess, onFailure, operationFailures.poll());
    operations.put(name, state);
    return op;
  }

  private OperationProgress progress(Operation.Type type, int done, Operation.Status status) {
    return OperationProgress.newBuilder()
        .setName(type.name())
        .setStatus(status)
        .addMetrics(
            OperationProgress.Metric.newBuilder().setName(PROGRESS_METRIC).setIntValue(done))
        .addMetrics(
            OperationProgress.Metric.newBuilder()
                .setName(PROGRESS_METRIC + "_TOTAL")
                .setIntValue(pollsUntilDone))
        .addStages(
            OperationProgress.newBuilder()
                .setName(stageName(type))
                .setStatus(status == Operation.Status.DONE ? Operation.Status.DONE : status))
        .build();
  }

  private static String stageName(Operation.Type type) {
    return switch (type) {
      case CREATE_CLUSTER, CREATE_NODE_POOL -> "PROVISIONING";
      case DELETE_CLUSTER, DELETE_NODE_POOL -> "DELETING";
      default -> "RECONCILING";
    };
  }

  /** Must be called with the lock held: moves an operation one step. */
  private Operation advance(OperationState s) {
    Operation op = s.operation;
    if (op.getStatus() == Operation.Status.DONE) {
      return op;
    }
    if (hangOperations) {
      s.operation =
          op.toBuilder()
              .setStatus(Operation.Status.RUNNING)
              .setProgress(progress(op.getOperationType(), 0, Operation.Status.RUNNING))
              .build();
      return s.operation;
    }
    s.polls++;
    if (s.polls < pollsUntilDone) {
      s.operation =
          op.toBuilder()
              .setStatus(Operation.Status.RUNNING)
              .setProgress(progress(op.getOperationType(), s.polls, Operation.Status.RUNNING))
              .build();
      return s.operation;
    }
    Operation.Builder done =
        op.toBuilder()
            .setStatus(Operation.Status.DONE)
            .setProgress(progress(op.getOperationType(), pollsUntilDone, Operation.Status.DONE));
    if (s.error != null) {
      done.setError(s.error);
      s.onFailure.run();
    } else {
      s.onSuccess.run();
    }
    s.operation = done.build();
    return s.operation;
  }

  private Cluster requireCluster(String name) {
    Cluster c = clusters.get(name);
    if (c == null) {
      throw Status.NOT_FOUND.withDescription("Not found: " + name + ".").asRuntimeException();
    }
    return c;
  }

  private static NodePool requirePool(Cluster cluster, String poolName, String fullName) {
    return cluster.getNodePoolsList().stream()
        .filter(p -> p.getName().equals(poolName))
        .findFirst()
        .orElseThrow(
            () ->
                Status.NOT_FOUND
                    .withDescription("Not found: " + fullName + ".")
                    .asRuntimeException());
  }

  private void replacePool(String clusterName, NodePool pool) {
    Cluster c = clusters.get(clusterName);
    if (c == null) {
      return;
    }
    List<NodePool> pools = new ArrayList<>(c.getNodePoolsList());
    pools.removeIf(p -> p.getName().equals(pool.getName()));
    pools.add(pool);
    clusters.put(clusterName, c.toBuilder().clearNodePools().addAllNodePools(pools).build());
  }

  private void removePool(String clusterName, String poolName) {
    Cluster c = clusters.get(clusterName);
    if (c == null) {
      return;
    }
    List<NodePool> pools = new ArrayList<>(c.getNodePoolsList());
    pools.removeIf(p -> p.getName().equals(poolName));
    clusters.put(clusterName, c.toBuilder().clearNodePools().addAllNodePools(pools).build());
  }

  private void setStatus(String name, Cluster.Status status) {
    Cluster c = clusters.get(name);
    if (c != null) {
      clusters.put(name, c.toBuilder().setStatus(status).build());
    }
  }

  /**
   * Applies the one {@code desired_*} field of an update to a cluster: most map to the cluster
   * field of the same name without the prefix; the others are listed here.
   */
  static Cluster applyUpdate(Cluster cluster, FieldDescriptor field, Object value) {
    Cluster.Builder b = cluster.toBuilder();
    String target = field.getName().substring("desired_".length());
    switch (target) {
      case "cluster_autoscaling" ->
          b.setAutoscaling((com.google.container.v1.ClusterAutoscaling) value);
      case "gateway_api_config" ->
          b.getNetworkConfigBuilder()
              .setGatewayApiConfig((com.google.container.v1.GatewayAPIConfig) value);
      case "datapath_provider" ->
          b.getNetworkConfigBuilder()
              .setDatapathProvider(
                  com.google.container.v1.DatapathProvider.forNumber(
                      ((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getNumber()));
      case "dns_config" ->
          b.getNetworkConfigBuilder().setDnsConfig((com.google.container.v1.DNSConfig) value);
      case "gcfs_config" ->
          b.getNodePoolDefaultsBuilder()
              .getNodeConfigDefaultsBuilder()
              .setGcfsConfig((com.google.container.v1.GcfsConfig) value);
      default -> {
        FieldDescriptor same = Cluster.getDescriptor().findFieldByName(target);
        if (same == null || same.getType() != field.getType()) {
          throw Status.UNIMPLEMENTED
              .withDescription("the fake does not apply " + field.getName())
              .asRuntimeException();
        }
        b.setField(same, value);
      }
    }
    return b.build();
  }

  private final class Service extends ClusterManagerGrpc.ClusterManagerImplBase {

    private <T> void answer(StreamObserver<T> observer, java.util.function.Supplier<T> body) {
      T result;
      try {
        synchronized (lock) {
          result = body.get();
        }
      } catch (RuntimeException e) {
        observer.onError(
            e instanceof io.grpc.StatusRuntimeException
                ? e
                : Status.INTERNAL.withCause(e).withDescription(e.toString()).asRuntimeException());
        return;
      }
      observer.onNext(result);
      observer.onCompleted();
    }

    @Override
    public void createCluster(CreateClusterRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("CreateCluster");
            String parent = request.getParent();
            Cluster cluster = request.getCluster();
            if (cluster.getName().isEmpty()) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("Cluster.name must be set.")
                  .asRuntimeException();
            }
            String name = parent + "/clusters/" + cluster.getName();
            if (clusters.containsKey(name)) {
              throw Status.ALREADY_EXISTS
                  .withDescription("Already exists: " + name + ".")
                  .asRuntimeException();
            }
            clusters.put(
                name,
                stored(parent, cluster).toBuilder().setStatus(Cluster.Status.PROVISIONING).build());
            return startOperation(
                Operation.Type.CREATE_CLUSTER,
                name,
                () -> setStatus(name, Cluster.Status.RUNNING),
                () -> setStatus(name, Cluster.Status.ERROR));
          });
    }

    @Override
    public void getCluster(GetClusterRequest request, StreamObserver<Cluster> observer) {
      answer(
          observer,
          () -> {
            record("GetCluster");
            return requireCluster(request.getName());
          });
    }

    @Override
    public void listClusters(
        ListClustersRequest request, StreamObserver<ListClustersResponse> observer) {
      answer(
          observer,
          () -> {
            record("ListClusters");
            String prefix = request.getParent() + "/clusters/";
            return ListClustersResponse.newBuilder()
                .addAllClusters(
                    clusters.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(prefix))
                        .map(Map.Entry::getValue)
                        .toList())
                .build();
          });
    }

    @Override
    public void updateCluster(UpdateClusterRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("UpdateCluster");
            updates.add(request);
            String name = request.getName();
            requireCluster(name);
            requireNoRunningOperation(name);
            Map<FieldDescriptor, Object> set = request.getUpdate().getAllFields();
            if (set.size() != 1) {
              throw Status.INVALID_ARGUMENT
                  .withDescription(
                      "Exactly one update can be applied to a cluster with each request; got "
                          + set.size()
                          + ".")
                  .asRuntimeException();
            }
            Map.Entry<FieldDescriptor, Object> only = set.entrySet().iterator().next();
            Cluster updated = applyUpdate(requireCluster(name), only.getKey(), only.getValue());
            setStatus(name, Cluster.Status.RECONCILING);
            return startOperation(
                Operation.Type.UPDATE_CLUSTER,
                name,
                () ->
                    clusters.put(
                        name, updated.toBuilder().setStatus(Cluster.Status.RUNNING).build()),
                () -> setStatus(name, Cluster.Status.RUNNING));
          });
    }

    @Override
    public void deleteCluster(DeleteClusterRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("DeleteCluster");
            String name = request.getName();
            requireCluster(name);
            requireNoRunningOperation(name);
            setStatus(name, Cluster.Status.STOPPING);
            return startOperation(
                Operation.Type.DELETE_CLUSTER,
                name,
                () -> clusters.remove(name),
                () -> setStatus(name, Cluster.Status.ERROR));
          });
    }

    @Override
    public void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("GetOperation");
            String opName = request.getName().substring(request.getName().lastIndexOf('/') + 1);
            OperationState s = operations.get(opName);
            if (s == null) {
              throw Status.NOT_FOUND
                  .withDescription("Not found: " + request.getName() + ".")
                  .asRuntimeException();
            }
            return advance(s);
          });
    }

    @Override
    public void listOperations(
        ListOperationsRequest request, StreamObserver<ListOperationsResponse> observer) {
      answer(
          observer,
          () -> {
            record("ListOperations");
            return ListOperationsResponse.newBuilder()
                .addAllOperations(operations.values().stream().map(s -> s.operation).toList())
                .build();
          });
    }

    @Override
    public void cancelOperation(CancelOperationRequest request, StreamObserver<Empty> observer) {
      answer(
          observer,
          () -> {
            record("CancelOperation");
            String opName = request.getName().substring(request.getName().lastIndexOf('/') + 1);
            OperationState s = operations.get(opName);
            if (s == null) {
              throw Status.NOT_FOUND
                  .withDescription("Not found: " + request.getName() + ".")
                  .asRuntimeException();
            }
            if (s.operation.getStatus() != Operation.Status.DONE) {
              s.onFailure.run();
              s.operation =
                  s.operation.toBuilder()
                      .setStatus(Operation.Status.DONE)
                      .setError(
                          com.google.rpc.Status.newBuilder()
                              .setCode(com.google.rpc.Code.CANCELLED_VALUE)
                              .setMessage("Operation was cancelled."))
                      .build();
            }
            return Empty.getDefaultInstance();
          });
    }

    @Override
    public void createNodePool(CreateNodePoolRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("CreateNodePool");
            String clusterName = request.getParent();
            Cluster cluster = requireCluster(clusterName);
            requireNoRunningOperation(clusterName);
            NodePool pool = request.getNodePool();
            if (cluster.getNodePoolsList().stream()
                .anyMatch(p -> p.getName().equals(pool.getName()))) {
              throw Status.ALREADY_EXISTS
                  .withDescription(
                      "Already exists: " + clusterName + "/nodePools/" + pool.getName() + ".")
                  .asRuntimeException();
            }
            replacePool(
                clusterName, pool.toBuilder().setStatus(NodePool.Status.PROVISIONING).build());
            return startOperation(
                Operation.Type.CREATE_NODE_POOL,
                clusterName,
                () ->
                    replacePool(
                        clusterName, pool.toBuilder().setStatus(NodePool.Status.RUNNING).build()),
                () ->
                    replacePool(
                        clusterName, pool.toBuilder().setStatus(NodePool.Status.ERROR).build()));
          });
    }

    @Override
    public void getNodePool(GetNodePoolRequest request, StreamObserver<NodePool> observer) {
      answer(
          observer,
          () -> {
            record("GetNodePool");
            String name = request.getName();
            String clusterName = parentOf(name, "nodePools");
            return requirePool(
                requireCluster(clusterName), name.substring(name.lastIndexOf('/') + 1), name);
          });
    }

    @Override
    public void listNodePools(
        ListNodePoolsRequest request, StreamObserver<ListNodePoolsResponse> observer) {
      answer(
          observer,
          () -> {
            record("ListNodePools");
            return ListNodePoolsResponse.newBuilder()
                .addAllNodePools(requireCluster(request.getParent()).getNodePoolsList())
                .build();
          });
    }

    @Override
    public void updateNodePool(UpdateNodePoolRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("UpdateNodePool");
            String name = request.getName();
            String clusterName = parentOf(name, "nodePools");
            requireNoRunningOperation(clusterName);
            NodePool pool =
                requirePool(
                    requireCluster(clusterName), name.substring(name.lastIndexOf('/') + 1), name);
            NodePool.Builder b = pool.toBuilder();
            if (request.getLocationsCount() > 0) {
              b.clearLocations().addAllLocations(request.getLocationsList());
            }
            if (request.hasLabels()) {
              b.getConfigBuilder().clearLabels().putAllLabels(request.getLabels().getLabelsMap());
            }
            if (request.hasTaints()) {
              b.getConfigBuilder().clearTaints().addAllTaints(request.getTaints().getTaintsList());
            }
            if (!request.getMachineType().isEmpty()) {
              b.getConfigBuilder().setMachineType(request.getMachineType());
            }
            NodePool updated = b.build();
            return startOperation(
                Operation.Type.UPGRADE_NODES,
                clusterName,
                () -> replacePool(clusterName, updated),
                () -> {});
          });
    }

    @Override
    public void setNodePoolAutoscaling(
        SetNodePoolAutoscalingRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("SetNodePoolAutoscaling");
            String name = request.getName();
            String clusterName = parentOf(name, "nodePools");
            requireNoRunningOperation(clusterName);
            NodePool pool =
                requirePool(
                    requireCluster(clusterName), name.substring(name.lastIndexOf('/') + 1), name);
            NodePool updated = pool.toBuilder().setAutoscaling(request.getAutoscaling()).build();
            return startOperation(
                Operation.Type.SET_NODE_POOL_MANAGEMENT,
                clusterName,
                () -> replacePool(clusterName, updated),
                () -> {});
          });
    }

    @Override
    public void deleteNodePool(DeleteNodePoolRequest request, StreamObserver<Operation> observer) {
      answer(
          observer,
          () -> {
            record("DeleteNodePool");
            String name = request.getName();
            String clusterName = parentOf(name, "nodePools");
            requireNoRunningOperation(clusterName);
            String poolName = name.substring(name.lastIndexOf('/') + 1);
            NodePool pool = requirePool(requireCluster(clusterName), poolName, name);
            replacePool(clusterName, pool.toBuilder().setStatus(NodePool.Status.STOPPING).build());
            return startOperation(
                Operation.Type.DELETE_NODE_POOL,
                clusterName,
                () -> removePool(clusterName, poolName),
                () -> replacePool(clusterName, pool));
          });
    }
  }

  private static final class OperationState {
    Operation operation;
    final String target;
    final Runnable onSuccess;
    final Runnable onFailure;
    final com.google.rpc.@Nullable Status error;
    int polls;

    OperationState(
        Operation operation,
        String target,
        Runnable onSuccess,
        Runnable onFailure,
        com.google.rpc.@Nullable Status error) {
      this.operation = operation;
      this.target = target;
      this.onSuccess = onSuccess;
      this.onFailure = onFailure;
      this.error = error;
    }
  }
}
