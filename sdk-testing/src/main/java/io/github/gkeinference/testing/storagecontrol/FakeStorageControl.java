package io.github.gkeinference.testing.storagecontrol;

import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.storage.control.v2.AnywhereCache;
import com.google.storage.control.v2.CommonLongRunningOperationMetadata;
import com.google.storage.control.v2.CreateAnywhereCacheMetadata;
import com.google.storage.control.v2.CreateAnywhereCacheRequest;
import com.google.storage.control.v2.GetAnywhereCacheRequest;
import com.google.storage.control.v2.ListAnywhereCachesRequest;
import com.google.storage.control.v2.ListAnywhereCachesResponse;
import com.google.storage.control.v2.StorageControlClient;
import com.google.storage.control.v2.StorageControlGrpc;
import com.google.storage.control.v2.StorageControlSettings;
import io.github.gkeinference.testing.internal.CallLog;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-process fake of the Cloud Storage control API's Anywhere Cache methods ({@code
 * google.storage.control.v2.StorageControl}: {@code CreateAnywhereCache}, {@code GetAnywhereCache},
 * {@code ListAnywhereCaches}) and of {@code google.longrunning.Operations} ({@code GetOperation}),
 * through which the client polls the create's long-running operation.
 *
 * <p>Both are the real generated service bases served over an in-process gRPC channel; {@link
 * #client()} is the real {@link StorageControlClient} with no credentials.
 *
 * <pre>{@code
 * try (FakeStorageControl gcs = FakeStorageControl.start()) {
 *   gcs.pollsUntilDone(3).putCache("models", "us-central1-a");
 *   AnywhereCaches.of(gcs.client(), retrier).create(...);
 * }
 * }</pre>
 *
 * <p>Behaviour that mirrors the service (proto comments of {@code storage_control.proto} and
 * https://cloud.google.com/storage/docs/anywhere-cache): a cache is named {@code
 * projects/_/buckets/<bucket>/anywhereCaches/<zone>}; a second create in the same zone fails with
 * {@code ALREADY_EXISTS}; a TTL outside 1 hour to 7 days or not in whole seconds, or an admission
 * policy other than {@code admit-on-first-miss} and {@code admit-on-second-miss}, with {@code
 * INVALID_ARGUMENT}; defaults (24 hours, {@code admit-on-first-miss}) are applied when unset. A
 * cache is {@code CREATING} while its operation runs and {@code RUNNING} after; each {@code
 * GetOperation} moves the operation one step and raises its {@code progress_percent}.
 *
 * <p>Thread-safe. {@link #close()} closes the client, the channel and the server.
 */
public final class FakeStorageControl implements AutoCloseable {
  /** The admission policies the service accepts. */
  public static final Set<String> ADMISSION_POLICIES =
      Set.of("admit-on-first-miss", "admit-on-second-miss");

  private static final long MIN_TTL_SECONDS = 3600;
  private static final long MAX_TTL_SECONDS = 7 * 24 * 3600;
  private static final long DEFAULT_TTL_SECONDS = 24 * 3600;

  private final Object lock = new Object();
  private final Map<String, AnywhereCache> caches = new LinkedHashMap<>();
  private final Map<String, OperationState> operations = new LinkedHashMap<>();
  private final CallLog log = new CallLog();
  private int pollsUntilDone = 2;
  private int pageSize = 2;
  private int operationCounter;

  private final InProcessGrpc grpc;
  private final StorageControlSettings settings;
  private final LazyClient<StorageControlClient> client;

  private FakeStorageControl() {
    grpc = InProcessGrpc.start(new Service(), new Operations());
    settings =
        InProcessGrpc.settings(
            () ->
                StorageControlSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    client = LazyClient.of(() -> StorageControlClient.create(settings));
  }

  /** Starts a fake with no caches. */
  public static FakeStorageControl start() {
    return new FakeStorageControl();
  }

  /**
   * Returns the real client connected to this fake (created on first use, closed by {@link
   * #close()}).
   */
  public StorageControlClient client() {
    return client.get();
  }

  /** Returns client settings that reach this fake, for code that builds its own client. */
  public StorageControlSettings settings() {
    return settings;
  }

  /**
   * Sets how many {@code GetOperation} calls an operation needs to finish; default 2.
   *
   * @param polls at least 1
   * @return this fake
   */
  public FakeStorageControl pollsUntilDone(int polls) {
    if (polls < 1) {
      throw new IllegalArgumentException("polls must be at least 1");
    }
    synchronized (lock) {
      pollsUntilDone = polls;
    }
    return this;
  }

  /**
   * Sets how many caches one {@code ListAnywhereCaches} page holds; default 2, so that listing more
   * caches than that pages.
   *
   * @param size at least 1
   * @return this fake
   */
  public FakeStorageControl pageSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1");
    }
    synchronized (lock) {
      pageSize = size;
    }
    return this;
  }

  /**
   * Makes the next call of one RPC fail at once with a gRPC status.
   *
   * @param method the RPC name, for example {@code CreateAnywhereCache}
   * @param code the status code
   * @param message the status description
   * @return this fake
   */
  public FakeStorageControl failNextCall(String method, Status.Code code, String message) {
    log.failNext(method, code, message);
    return this;
  }

  /**
   * Stores a running cache as if it had been created earlier, with the default TTL and admission
   * policy.
   *
   * @param bucket the bucket's name
   * @param zone the cache's zone
   * @return this fake
   */
  public FakeStorageControl putCache(String bucket, String zone) {
    synchronized (lock) {
      String name = cacheName(bucket, zone);
      caches.put(
          name,
          AnywhereCache.newBuilder()
              .setName(name)
              .setZone(zone)
              .setTtl(Duration.newBuilder().setSeconds(DEFAULT_TTL_SECONDS))
              .setAdmissionPolicy("admit-on-first-miss")
              .setState("RUNNING")
              .build());
    }
    return this;
  }

  /**
   * Returns a stored cache.
   *
   * @param bucket the bucket's name
   * @param zone the cache's zone
   * @return the cache, if present
   */
  public Optional<AnywhereCache> cache(String bucket, String zone) {
    synchronized (lock) {
      return Optional.ofNullable(caches.get(cacheName(bucket, zone)));
    }
  }

  /** Returns the RPC names called so far, in order, for example {@code CreateAnywhereCache}. */
  public List<String> calls() {
    return log.calls();
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

  private static String bucketName(String parent) {
    return parent.substring(parent.lastIndexOf('/') + 1);
  }

  private static String cacheName(String bucket, String zone) {
    return "projects/_/buckets/" + bucket + "/anywhereCaches/" + zone;
  }

  /** Records a call and throws the failure queued for it, if any; call while holding the lock. */
  private void enter(String method) {
    log.recordOrFail(method, method);
  }

  private static io.grpc.StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private final class Service extends StorageControlGrpc.StorageControlImplBase {
    @Override
    public void createAnywhereCache(
        CreateAnywhereCacheRequest request, StreamObserver<Operation> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            synchronized (lock) {
              enter("CreateAnywhereCache");
              AnywhereCache wanted = request.getAnywhereCache();
              if (!request.getParent().startsWith("projects/_/buckets/")) {
                throw invalid("parent must be projects/_/buckets/<bucket>: " + request.getParent());
              }
              if (wanted.getZone().isEmpty()) {
                throw invalid("anywhere_cache.zone is required");
              }
              Duration ttl =
                  wanted.hasTtl()
                      ? wanted.getTtl()
                      : Duration.newBuilder().setSeconds(DEFAULT_TTL_SECONDS).build();
              if (ttl.getNanos() != 0
                  || ttl.getSeconds() < MIN_TTL_SECONDS
                  || ttl.getSeconds() > MAX_TTL_SECONDS) {
                throw invalid("ttl must be whole seconds from 1h to 7d: " + ttl);
              }
              String admission =
                  wanted.getAdmissionPolicy().isEmpty()
                      ? "admit-on-first-miss"
                      : wanted.getAdmissionPolicy();
              if (!ADMISSION_POLICIES.contains(admission)) {
                throw invalid("unknown admission_policy: " + admission);
              }
              String bucket = bucketName(request.getParent());
              String name = cacheName(bucket, wanted.getZone());
              if (caches.containsKey(name)) {
                throw Status.ALREADY_EXISTS
                    .withDescription("an Anywhere Cache exists in " + wanted.getZone())
                    .asRuntimeException();
              }
              AnywhereCache cache =
                  wanted.toBuilder()
                      .setName(name)
                      .setTtl(ttl)
                      .setAdmissionPolicy(admission)
                      .setState("CREATING")
                      .build();
              caches.put(name, cache);
              String opName =
                  "projects/_/buckets/" + bucket + "/operations/op-" + (++operationCounter);
              OperationState state = new OperationState(name, pollsUntilDone);
              state.operation =
                  Operation.newBuilder()
                      .setName(opName)
                      .setMetadata(Any.pack(metadata(cache, 0)))
                      .build();
              operations.put(opName, state);
              return state.operation;
            }
          });
    }

    @Override
    public void getAnywhereCache(
        GetAnywhereCacheRequest request, StreamObserver<AnywhereCache> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            synchronized (lock) {
              enter("GetAnywhereCache");
              AnywhereCache cache = caches.get(request.getName());
              if (cache == null) {
                throw Status.NOT_FOUND.withDescription(request.getName()).asRuntimeException();
              }
              return cache;
            }
          });
    }

    @Override
    public void listAnywhereCaches(
        ListAnywhereCachesRequest request, StreamObserver<ListAnywhereCachesResponse> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            synchronized (lock) {
              enter("ListAnywhereCaches");
              String prefix = request.getParent() + "/anywhereCaches/";
              List<AnywhereCache> all =
                  caches.values().stream().filter(c -> c.getName().startsWith(prefix)).toList();
              int from = request.getPageToken().isEmpty() ? 0 : parsePage(request.getPageToken());
              int to = Math.min(all.size(), from + pageSize);
              ListAnywhereCachesResponse.Builder page =
                  ListAnywhereCachesResponse.newBuilder()
                      .addAllAnywhereCaches(all.subList(from, to));
              if (to < all.size()) {
                page.setNextPageToken(Integer.toString(to));
              }
              return page.build();
            }
          });
    }
  }

  private static int parsePage(String token) {
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      throw invalid("bad page_token: " + token);
    }
  }

  private static CreateAnywhereCacheMetadata metadata(AnywhereCache cache, int percent) {
    return CreateAnywhereCacheMetadata.newBuilder()
        .setCommonMetadata(
            CommonLongRunningOperationMetadata.newBuilder()
                .setType("create-anywhere-cache")
                .setProgressPercent(percent))
        .setAnywhereCacheId(cache.getZone())
        .setZone(cache.getZone())
        .setTtl(cache.getTtl())
        .setAdmissionPolicy(cache.getAdmissionPolicy())
        .build();
  }

  private final class Operations extends OperationsGrpc.OperationsImplBase {
    @Override
    public void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            synchronized (lock) {
              enter("GetOperation");
              OperationState state = operations.get(request.getName());
              if (state == null) {
                throw Status.NOT_FOUND.withDescription(request.getName()).asRuntimeException();
              }
              if (!state.operation.getDone()) {
                state.polls++;
                AnywhereCache cache = caches.get(state.cache);
                if (state.polls >= state.pollsUntilDone) {
                  AnywhereCache running = cache.toBuilder().setState("RUNNING").build();
                  caches.put(state.cache, running);
                  state.operation =
                      state.operation.toBuilder()
                          .setDone(true)
                          .setMetadata(Any.pack(metadata(running, 100)))
                          .setResponse(Any.pack(running))
                          .build();
                } else {
                  state.operation =
                      state.operation.toBuilder()
                          .setMetadata(
                              Any.pack(metadata(cache, 100 * state.polls / state.pollsUntilDone)))
                          .build();
                }
              }
              return state.operation;
            }
          });
    }
  }

  private static final class OperationState {
    final String cache;
    final int pollsUntilDone;
    int polls;
    Operation operation = Operation.getDefaultInstance();

    OperationState(String cache, int pollsUntilDone) {
      this.cache = cache;
      this.pollsUntilDone = pollsUntilDone;
    }
  }
}
