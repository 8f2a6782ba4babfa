package io.github.gkeinference.core.store;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.longrunning.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.storage.control.v2.AnywhereCache;
import com.google.storage.control.v2.CreateAnywhereCacheMetadata;
import com.google.storage.control.v2.CreateAnywhereCacheRequest;
import com.google.storage.control.v2.ListAnywhereCachesRequest;
import com.google.storage.control.v2.StorageControlClient;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.validate.Violations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Creates and lists the Anywhere Caches of a model bucket through the Cloud Storage control API
 * ({@link StorageControlClient}): a zonal SSD read cache next to the cluster's nodes, which GKE
 * documents for loading models from Cloud Storage
 * (https://cloud.google.com/storage/docs/anywhere-cache).
 *
 * <pre>{@code
 * try (StorageControlClient control = StorageControlClient.create()) {
 *   AnywhereCaches caches = AnywhereCaches.of(control, retrier);
 *   BucketPlacement.Result where = BucketPlacement.of(storage).check("models", "us-central1");
 *   for (AnywhereCaches.Created c :
 *       caches.create(where, List.of("us-central1-a", "us-central1-b"), CacheSettings.defaults(),
 *           p -> System.err.println(p.zone() + " " + p.percent() + "%"))) {
 *     // CREATED the first time, UNCHANGED after
 *   }
 * }
 * }</pre>
 *
 * <p>Idempotent: a zone that already has a cache is reported {@link Action#UNCHANGED} and not
 * created again (also when a concurrent create wins: {@code ALREADY_EXISTS} reads the cache). Each
 * create is a long-running operation, polled through {@code google.longrunning.Operations} every
 * poll interval until done or the timeout; the listener hears its {@code progress_percent} after
 * each poll. It does not own the client and does not close it.
 */
public final class AnywhereCaches {
  /** The permissions these calls need on the bucket (Cloud Storage IAM permissions). */
  public static final List<String> PERMISSIONS =
      List.of("storage.anywhereCaches.create", "storage.anywhereCaches.list");

  /** The default wait between two polls of a create operation. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  /**
   * The default longest wait for one create: creating a cache can take up to 48 hours (Anywhere
   * Cache docs, "Create a cache"); the tool waits a while and reports the cache as creating.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  /** What happened to a zone's cache. */
  public enum Action {
    /** The cache was created by this call. */
    CREATED,
    /** A cache was already there; nothing was changed. */
    UNCHANGED,
    /** The create was started but had not finished when the timeout passed. */
    PENDING
  }

  /** When a cache admits an object (Anywhere Cache docs, "Admission policy"). */
  public enum AdmissionPolicy {
    /** Admit on the first read that misses: the service's default. */
    ADMIT_ON_FIRST_MISS("admit-on-first-miss"),
    /** Admit on the second miss, which keeps objects read once out of the cache. */
    ADMIT_ON_SECOND_MISS("admit-on-second-miss");

    private final String value;

    AdmissionPolicy(String value) {
      this.value = value;
    }

    /** Returns the API's value, for example {@code admit-on-first-miss}. */
    public String value() {
      return value;
    }

    /**
     * Returns the policy of an API value.
     *
     * @param value for example {@code admit-on-second-miss}
     * @return the policy, or empty when the value is unknown
     */
    public static Optional<AdmissionPolicy> ofValue(String value) {
      for (AdmissionPolicy p : values()) {
        if (p.value.equals(value)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * A cache's settings.
   *
   * @param ttl how long an entry lives: whole seconds from {@link #MIN_TTL} to {@link #MAX_TTL}
   * @param admissionPolicy when objects are admitted
   */
  public record CacheSettings(Duration ttl, AdmissionPolicy admissionPolicy) {
    /** The shortest TTL the service accepts (storage_control.proto, AnywhereCache.ttl). */
    public static final Duration MIN_TTL = Duration.ofHours(1);

    /** The longest TTL the service accepts (storage_control.proto, AnywhereCache.ttl). */
    public static final Duration MAX_TTL = Duration.ofDays(7);

    /** The service's default TTL (storage_control.proto, AnywhereCache.ttl). */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    /** Checks the components. */
    public CacheSettings {
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(admissionPolicy, "admissionPolicy");
      Violations v = Violations.root("cache");
      v.require(
          ttl.getNano() == 0 && ttl.compareTo(MIN_TTL) >= 0 && ttl.compareTo(MAX_TTL) <= 0,
          "ttl",
          ttl,
          "must be whole seconds from 1h to 7d (" + MIN_TTL + " to " + MAX_TTL + ")");
      v.throwIfErrors();
    }

    /** Returns the service's defaults: 24 hours, {@code admit-on-first-miss}. */
    public static CacheSettings defaults() {
      return new CacheSettings(DEFAULT_TTL, AdmissionPolicy.ADMIT_ON_FIRST_MISS);
    }
  }

  /**
   * One cache as the service reports it.
   *
   * @param name its resource name, {@code projects/_/buckets/<bucket>/anywhereCaches/<id>}
   * @param zone its zone
   * @param state {@code CREATING}, {@code RUNNING}, {@code PAUSED} or {@code DISABLED}
   * @param ttl its TTL
   * @param admissionPolicy its admission policy's API value
   */
  public record CacheInfo(
      String name, String zone, String state, Duration ttl, String admissionPolicy) {
    static CacheInfo of(AnywhereCache c) {
      return new CacheInfo(
          c.getName(),
          c.getZone(),
          c.getState(),
          Duration.ofSeconds(c.getTtl().getSeconds(), c.getTtl().getNanos()),
          c.getAdmissionPolicy());
    }
  }

  /**
   * The outcome in one zone.
   *
   * @param zone the zone
   * @param action what happened
   * @param cache the cache as last read
   */
  public record Created(String zone, Action action, CacheInfo cache) {}

  /**
   * The progress of one create, after each poll of its operation.
   *
   * @param zone the cache's zone
   * @param operation the operation's name
   * @param percent 0 to 100, or -1 when the service does not say
   * @param done whether the operation finished
   */
  public record Progress(String zone, String operation, int percent, boolean done) {}

  private final StorageControlClient client;
  private final Retrier retrier;
  private final Duration pollInterval;
  private final Duration timeout;

  private AnywhereCaches(
      StorageControlClient client, Retrier retrier, Duration pollInterval, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.retrier = Objects.requireNonNull(retrier, "retrier");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Returns the caches of a client (not closed by it), polling every {@link #DEFAULT_POLL_INTERVAL}
   * for at most {@link #DEFAULT_TIMEOUT} per create.
   *
   * @param client the Storage control client
   * @param retrier its clock and sleeper time the polls
   * @return the caches
   */
  public static AnywhereCaches of(StorageControlClient client, Retrier retrier) {
    return new AnywhereCaches(client, retrier, DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT);
  }

  /**
   * Returns a copy that polls at another interval for at most another time per create.
   *
   * @param pollInterval the wait between two polls
   * @param timeout the longest wait for one create
   * @return the copy
   */
  public AnywhereCaches polling(Duration pollInterval, Duration timeout) {
    return new AnywhereCaches(client, retrier, pollInterval, timeout);
  }

  /**
   * Lists a bucket's caches, every page.
   *
   * @param bucket the bucket's name
   * @return the caches
   * @throws SdkException naming the bucket and the permission on a failure
   */
  public List<CacheInfo> list(String bucket) {
    Objects.requireNonNull(bucket, "bucket");
    return call(
        bucket,
        "ListAnywhereCaches",
        () -> {
          List<CacheInfo> all = new ArrayList<>();
          for (AnywhereCache c :
              client
                  .listAnywhereCaches(
                      ListAnywhereCachesRequest.newBuilder().setParent(parent(bucket)).build())
                  .iterateAll()) {
            all.add(CacheInfo.of(c));
          }
          return all;
        });
  }

  /**
   * Checks that zones can hold a cache of a bucket: each is a zone name whose region the bucket's
   * location holds, and none is repeated.
   *
   * @param bucket where the bucket is, from {@link BucketPlacement#check}
   * @param zones the zones
   * @param path the path prefix of violations, for example {@code cache}
   * @param violations where violations go, at {@code <path>.zones[i]}
   */
  public static void checkZones(
      BucketPlacement.Result bucket, List<String> zones, String path, Violations violations) {
    Violations v = violations.at(path);
    if (zones.isEmpty()) {
      v.error(
          "zones", "[]", "needs at least one zone, for example " + bucket.clusterRegion() + "-a");
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < zones.size(); i++) {
      String zone = zones.get(i);
      Violations at = v.at("zones", i);
      if (!zone.matches("[a-z]+(-[a-z]+)*[0-9]+-[a-z]")) {
        at.error("", zone, "is not a zone name (for example us-central1-a)");
      } else if (!bucket.contains(regionOf(zone))) {
        at.error(
            "",
            zone,
            "is not in the bucket's location "
                + bucket.location()
                + " ("
                + bucket.locationType()
                + "): a cache serves a bucket in its own region or multi-region");
      }
      Integer first = seen.putIfAbsent(zone, i);
      if (first != null) {
        at.error("", zone, "repeats zones[" + first + "]");
      }
    }
  }

  /**
   * Creates a cache in each zone that has none, waiting for each create's operation.
   *
   * @param bucket where the bucket is, from {@link BucketPlacement#check}
   * @param zones the zones, in the bucket's location
   * @param settings the TTL and admission policy of new caches (existing ones are kept as they are)
   * @param progress hears each create's progress after each poll
   * @return one outcome per zone, in order
   * @throws io.github.gkeinference.core.validate.SdkValidationException when a zone is not in the
   *     bucket's location, listing each at {@code cache.zones[i]}
   * @throws SdkException when a call or an operation fails, naming the zone and, on a permission
   *     error, the permission
   */
  public List<Created> create(
      BucketPlacement.Result bucket,
      List<String> zones,
      CacheSettings settings,
      Consumer<Progress> progress) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(progress, "progress");
    Violations v = Violations.root();
    checkZones(bucket, zones, "cache", v);
    v.throwIfErrors();
    Map<String, CacheInfo> existing = new LinkedHashMap<>();
    for (CacheInfo c : list(bucket.bucket())) {
      existing.put(c.zone(), c);
    }
    List<Created> results = new ArrayList<>();
    for (String zone : zones) {
      CacheInfo there = existing.get(zone);
      results.add(
          there != null
              ? new Created(zone, Action.UNCHANGED, there)
              : createOne(bucket.bucket(), zone, settings, progress));
    }
    return results;
  }

  private Created createOne(
      String bucket, String zone, CacheSettings settings, Consumer<Progress> progress) {
    CreateAnywhereCacheRequest request =
        CreateAnywhereCacheRequest.newBuilder()
            .setParent(parent(bucket))
            .setAnywhereCache(
                AnywhereCache.newBuilder()
                    .setZone(zone)
                    .setTtl(
                        com.google.protobuf.Duration.newBuilder()
                            .setSeconds(settings.ttl().getSeconds()))
                    .setAdmissionPolicy(settings.admissionPolicy().value()))
            .build();
    Operation started;
    try {
      started =
          call(
              bucket,
              "CreateAnywhereCache " + zone,
              () -> client.createAnywhereCacheCallable().call(request));
    } catch (SdkException e) {
      if (e.getCause() instanceof AlreadyExistsException) {
        // another writer created it between the list and the create
        return new Created(zone, Action.UNCHANGED, cacheIn(bucket, zone));
      }
      throw e;
    }
    Operation[] latest = {started};
    progress.accept(progressOf(zone, started));
    Optional<Operation> done =
        retrier.poll(
            "Anywhere Cache create in " + zone,
            timeout,
            pollInterval,
            () -> false,
            () -> {
              if (!latest[0].getDone()) {
                latest[0] =
                    call(
                        bucket,
                        "GetOperation " + started.getName(),
                        () -> client.getOperationsClient().getOperation(started.getName()));
                progress.accept(progressOf(zone, latest[0]));
              }
              return latest[0].getDone() ? Optional.of(latest[0]) : Optional.empty();
            });
    if (done.isEmpty()) {
      return new Created(zone, Action.PENDING, cacheIn(bucket, zone));
    }
    Operation op = done.get();
    if (op.hasError()) {
      throw new SdkException(
          "creating the Anywhere Cache of gs://"
              + bucket
              + " in "
              + zone
              + " failed: "
              + op.getError().getMessage()
              + " (code "
              + op.getError().getCode()
              + ")");
    }
    try {
      return new Created(
          zone, Action.CREATED, CacheInfo.of(op.getResponse().unpack(AnywhereCache.class)));
    } catch (InvalidProtocolBufferException e) {
      throw new SdkException(
          "the create operation of the Anywhere Cache in " + zone + " returned no cache", e);
    }
  }

  private CacheInfo cacheIn(String bucket, String zone) {
    return list(bucket).stream()
        .filter(c -> c.zone().equals(zone))
        .findFirst()
        .orElseThrow(
            () ->
                new SdkException(
                    "the Anywhere Cache of gs://" + bucket + " in " + zone + " is gone"));
  }

  private static Progress progressOf(String zone, Operation op) {
    int percent = -1;
    if (op.getMetadata().is(CreateAnywhereCacheMetadata.class)) {
      try {
        percent =
            op.getMetadata()
                .unpack(CreateAnywhereCacheMetadata.class)
                .getCommonMetadata()
                .getProgressPercent();
      } catch (InvalidProtocolBufferException e) {
        percent = -1;
      }
    }
    if (op.getDone() && !op.hasError()) {
      percent = 100;
    }
    return new Progress(zone, op.getName(), percent, op.getDone());
  }

  /** The region of a zone: {@code us-central1-a} is in {@code us-central1}. */
  static String regionOf(String zone) {
    int dash = zone.lastIndexOf('-');
    return dash < 0 ? zone : zone.substring(0, dash).toLowerCase(Locale.ROOT);
  }

  /** The bucket's resource name in the control API: its project is always {@code _}. */
  static String parent(String bucket) {
    return "projects/_/buckets/" + bucket;
  }

  private static <T> T call(String bucket, String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (ApiException e) {
      String lacks =
          e.getStatusCode().getCode() == StatusCode.Code.PERMISSION_DENIED
              ? " (the caller needs " + String.join(" and ", PERMISSIONS) + " on the bucket)"
              : "";
      throw new SdkException(what + " on gs://" + bucket + " failed: " + e.getMessage() + lacks, e);
    }
  }
}
