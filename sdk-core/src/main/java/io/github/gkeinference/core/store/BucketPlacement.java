package io.github.gkeinference.core.store;

import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.validate.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks where a model bucket is against the cluster's region, through the Cloud Storage API (the
 * bucket's {@code location}, {@code locationType} and the regions of a configurable dual-region): a
 * model read across regions loads slower and its reads are billed as data transfer
 * (https://cloud.google.com/storage/docs/locations, "Location considerations"; GKE's guidance on
 * loading models from Cloud Storage is to keep the bucket in the cluster's region,
 * https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver-perf).
 *
 * <pre>{@code
 * Storage storage = StorageOptions.getDefaultInstance().getService();
 * BucketPlacement.Result r = BucketPlacement.of(storage).check("my-models", "us-central1");
 * if (r.severity().isPresent()) { log.warn("{}; fix: {}", r.message(), r.fix()); }
 * }</pre>
 *
 * <p>Outcomes: a regional bucket in the cluster's region passes; a multi-region or dual-region that
 * contains the region passes with a note (reads from a multi-region are billed and have less
 * bandwidth than regional ones; an Anywhere Cache in the cluster's zones serves them locally);
 * anything else is a warning with the fix. It does not own the {@link Storage} client and does not
 * close it.
 */
public final class BucketPlacement {
  /** The permission reading a bucket's metadata needs. */
  public static final String GET_PERMISSION = "storage.buckets.get";

  /** The Cloud Storage location docs, the source of the rules here. */
  public static final String LOCATIONS_DOC = "https://cloud.google.com/storage/docs/locations";

  /**
   * The regions of the predefined dual-regions this SDK knows (Cloud Storage locations page,
   * "Predefined dual-regions"); a configurable dual-region lists its regions in the bucket's custom
   * placement instead.
   */
  static final Map<String, List<String>> PREDEFINED_DUAL_REGIONS =
      Map.of(
          "ASIA1", List.of("asia-northeast1", "asia-northeast2"),
          "EUR4", List.of("europe-north1", "europe-west4"),
          "NAM4", List.of("us-central1", "us-east1"));

  /**
   * Which regions each multi-region's data centers are in (locations page, "Multi-regions"): US in
   * the United States, EU in member states of the European Union, ASIA in Asia. EU lists the Google
   * Cloud regions in EU member states (not London {@code europe-west2} nor Zurich {@code
   * europe-west6}).
   */
  static final Map<String, Predicate<String>> MULTI_REGIONS =
      Map.of(
          "US",
          r -> r.startsWith("us-"),
          "ASIA",
          r -> r.startsWith("asia-"),
          "EU",
          r ->
              List.of(
                      "europe-central2",
                      "europe-north1",
                      "europe-north2",
                      "europe-southwest1",
                      "europe-west1",
                      "europe-west3",
                      "europe-west4",
                      "europe-west8",
                      "europe-west9",
                      "europe-west10",
                      "europe-west12")
                  .contains(r));

  /** Makes the result of one comparison. */
  @FunctionalInterface
  private interface ResultOf {
    Result make(Outcome outcome, String message, String fix);
  }

  /** How the bucket's place compares with the cluster's region. */
  public enum Outcome {
    /** A regional bucket in the cluster's region. */
    SAME_REGION,
    /** A multi-region or dual-region that contains the cluster's region: passes, with a note. */
    CONTAINS_REGION,
    /** Anywhere else, or a location this SDK cannot place: a warning. */
    OTHER_REGION
  }

  /**
   * The result of one check.
   *
   * @param bucket the bucket's name
   * @param location the bucket's location as Cloud Storage reports it, lower case ({@code
   *     us-central1}, {@code us}, {@code nam4})
   * @param locationType {@code region}, {@code dual-region} or {@code multi-region}
   * @param dataLocations the regions of a dual-region (its custom placement, or the predefined
   *     pair), lower case; empty for the other types
   * @param clusterRegion the cluster's region
   * @param outcome how they compare
   * @param message one sentence for a person
   * @param fix what to do, or {@code ""} when nothing is needed
   */
  public record Result(
      String bucket,
      String location,
      String locationType,
      List<String> dataLocations,
      String clusterRegion,
      Outcome outcome,
      String message,
      String fix) {
    /** Checks the components. */
    public Result {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(locationType, "locationType");
      dataLocations = List.copyOf(dataLocations);
      Objects.requireNonNull(clusterRegion, "clusterRegion");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(fix, "fix");
    }

    /**
     * Returns the severity of the finding: {@link Severity#WARNING} for {@link
     * Outcome#OTHER_REGION}; the other outcomes pass and return empty.
     */
    public Optional<Severity> severity() {
      return outcome == Outcome.OTHER_REGION ? Optional.of(Severity.WARNING) : Optional.empty();
    }

    /**
     * Returns whether the bucket's location holds a region: the region itself, one of a
     * dual-region's two, or a region of a multi-region.
     *
     * @param region a region, for example {@code us-central1}
     * @return whether the bucket's data is in that region
     */
    public boolean contains(String region) {
      return compare(bucket, location, locationType, dataLocations, region).severity().isEmpty();
    }
  }

  private final Storage storage;

  private BucketPlacement(Storage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
  }

  /**
   * Returns a checker over a Storage client (not closed by it).
   *
   * @param storage the client
   * @return the checker
   */
  public static BucketPlacement of(Storage storage) {
    return new BucketPlacement(storage);
  }

  /**
   * Reads the bucket's location and compares it with the cluster's region.
   *
   * @param bucket the bucket's name
   * @param clusterRegion the cluster's region, for example {@code us-central1}
   * @return the result
   * @throws SdkException when the bucket does not exist or cannot be read (naming {@link
   *     #GET_PERMISSION} on HTTP 403); the Storage exception is the cause
   */
  public Result check(String bucket, String clusterRegion) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(clusterRegion, "clusterRegion");
    Bucket b;
    try {
      b = storage.get(bucket);
    } catch (StorageException e) {
      throw new SdkException(
          "cannot read bucket gs://"
              + bucket
              + (e.getCode() == 403
                  ? ": the caller lacks " + GET_PERMISSION
                  : ": " + e.getMessage()),
          e);
    }
    if (b == null) {
      throw new SdkException("bucket gs://" + bucket + " does not exist");
    }
    BucketInfo.CustomPlacementConfig custom = b.getCustomPlacementConfig();
    List<String> dataLocations =
        custom == null || custom.getDataLocations() == null ? List.of() : custom.getDataLocations();
    return compare(
        bucket,
        Objects.requireNonNullElse(b.getLocation(), ""),
        Objects.requireNonNullElse(b.getLocationType(), ""),
        dataLocations,
        clusterRegion);
  }

  /**
   * Compares a bucket's location with a region: the pure part of {@link #check}.
   *
   * @param bucket the bucket's name
   * @param location its location ({@code US-CENTRAL1}, {@code US}, {@code NAM4}), any case
   * @param locationType {@code region}, {@code dual-region} or {@code multi-region}, any case
   * @param dataLocations the regions of a configurable dual-region, or empty
   * @param clusterRegion the cluster's region
   * @return the result
   */
  static Result compare(
      String bucket,
      String location,
      String locationType,
      List<String> dataLocations,
      String clusterRegion) {
    String loc = location.toLowerCase(Locale.ROOT);
    // a bucket read without its location type (an emulator): a location with a dash is a region
    String type =
        locationType.isEmpty() && loc.contains("-")
            ? "region"
            : locationType.toLowerCase(Locale.ROOT);
    String region = clusterRegion.toLowerCase(Locale.ROOT);
    String where = "bucket gs://" + bucket + " in " + loc + " (" + type + "), cluster in " + region;
    String fix =
        "copy the model to a bucket in "
            + region
            + " (gcloud storage buckets create gs://NAME --location="
            + region
            + "), or create an Anywhere Cache in the cluster's zones (gke-inference storage cache"
            + " create); see "
            + LOCATIONS_DOC;
    List<String> pair =
        !dataLocations.isEmpty()
            ? dataLocations.stream().map(l -> l.toLowerCase(Locale.ROOT)).toList()
            : PREDEFINED_DUAL_REGIONS.getOrDefault(loc.toUpperCase(Locale.ROOT), List.of());
    if (!type.equals("dual-region")) {
      pair = List.of();
    }
    List<String> dual = pair;
    ResultOf result =
        (outcome, message, fixText) ->
            new Result(bucket, loc, type, dual, region, outcome, message, fixText);
    switch (type) {
      case "region" -> {
        if (loc.equals(region)) {
          return result.make(Outcome.SAME_REGION, where, "");
        }
      }
      case "dual-region" -> {
        if (pair.contains(region)) {
          return result.make(
              Outcome.CONTAINS_REGION,
              where + ": the dual-region " + pair + " contains the cluster's region",
              "");
        }
        if (pair.isEmpty()) {
          return result.make(
              Outcome.OTHER_REGION,
              where
                  + ": not known to contain the cluster's region (this SDK knows the predefined"
                  + " dual-regions "
                  + PREDEFINED_DUAL_REGIONS.keySet().stream().sorted().toList()
                  + ")",
              fix);
        }
      }
      case "multi-region" -> {
        Predicate<String> contains = MULTI_REGIONS.get(loc.toUpperCase(Locale.ROOT));
        if (contains != null && contains.test(region)) {
          return result.make(
              Outcome.CONTAINS_REGION,
              where
                  + ": the multi-region contains the cluster's region, but reads from a"
                  + " multi-region are billed as data transfer and have less bandwidth than a"
                  + " regional bucket's; an Anywhere Cache in the cluster's zones serves repeated"
                  + " reads locally",
              "");
        }
      }
      default -> {
        // an unknown location type: reported as elsewhere below
      }
    }
    return result.make(
        Outcome.OTHER_REGION,
        "bucket in "
            + loc
            + ", cluster in "
            + region
            + ": cross-region reads are slower and billed",
        fix);
  }
}
