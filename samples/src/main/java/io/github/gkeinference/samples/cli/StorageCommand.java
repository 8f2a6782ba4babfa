package io.github.gkeinference.samples.cli;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.storage.control.v2.StorageControlClient;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.cluster.ClusterSpec;
import io.github.gkeinference.core.retry.Retrier;
import io.github.gkeinference.core.retry.RetryPolicy;
import io.github.gkeinference.core.retry.Sleeper;
import io.github.gkeinference.core.store.AnywhereCaches;
import io.github.gkeinference.core.store.AnywhereCaches.AdmissionPolicy;
import io.github.gkeinference.core.store.AnywhereCaches.CacheInfo;
import io.github.gkeinference.core.store.AnywhereCaches.CacheSettings;
import io.github.gkeinference.core.store.AnywhereCaches.Created;
import io.github.gkeinference.core.store.BucketPlacement;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code storage check|cache create|cache list}: the model bucket's place against the cluster's
 * region, and its Anywhere Caches in the cluster's zones. The Google clients are created in the
 * subcommand that needs them, never at start-up.
 */
@Command(
    name = "storage",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference storage check -f cluster.yaml --bucket gs://my-models",
      "  gke-inference storage cache create -f cluster.yaml --bucket gs://my-models --ttl 168h",
      "  gke-inference storage cache list --bucket gs://my-models -o json"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Check where the model bucket is against the cluster's region (Cloud Storage API), and"
          + " create or list its Anywhere Caches (zonal read caches) in the cluster's zones"
          + " (Cloud Storage control API).",
      "The cluster is a cluster spec file (-f, as 'cluster plan' reads it): its location gives"
          + " the region, its nodeLocations (or its zone) the zones. Credentials: Application"
          + " Default Credentials."
    },
    subcommands = {StorageCommand.Check.class, StorageCommand.Cache.class})
final class StorageCommand implements Callable<Integer> {
  /** Opens a Cloud Storage client; the command closes it. */
  interface StorageOpener {
    /** Opens a client. */
    Storage open() throws IOException;
  }

  /** Opens a Storage control client; the command closes it. */
  interface ControlOpener {
    /** Opens a client. */
    StorageControlClient open() throws IOException;
  }

  private final StorageOpener storage;
  private final ControlOpener control;
  private final Clock clock;
  private final Sleeper sleeper;

  @Spec @Nullable CommandSpec spec;

  /** The command as users run it: Google APIs through Application Default Credentials. */
  StorageCommand() {
    this(
        () -> StorageOptions.getDefaultInstance().getService(),
        StorageControlClient::create,
        Clock.systemUTC(),
        Sleeper.system());
  }

  /** The command with other clients and time (tests: the fakes). */
  StorageCommand(StorageOpener storage, ControlOpener control, Clock clock, Sleeper sleeper) {
    this.storage = storage;
    this.control = control;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public Integer call() {
    CommandLine cli = Objects.requireNonNull(spec).commandLine();
    cli.getErr().println("error: choose check or cache");
    cli.usage(cli.getErr());
    return GkeInferenceCli.INVALID;
  }

  /** The bucket and the cluster a subcommand works on. */
  static final class Target {
    @Option(
        names = "--bucket",
        required = true,
        paramLabel = "gs://BUCKET",
        description = "The model bucket (gs://NAME or NAME).")
    String bucket = "";

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "The cluster spec (YAML or JSON): its region and zones.")
    @Nullable Path file;

    @Option(
        names = "--region",
        paramLabel = "REGION",
        description = "The cluster's region, instead of (or over) the spec file's.")
    @Nullable String region;

    @Option(
        names = "--zones",
        split = ",",
        paramLabel = "ZONE",
        description = "The zones for caches, instead of the spec file's node locations.")
    List<String> zones = new ArrayList<>();

    /** The bucket's name without {@code gs://} and a trailing slash. */
    String bucketName() {
      String b = bucket.startsWith("gs://") ? bucket.substring("gs://".length()) : bucket;
      return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /** Reads the cluster spec if given; prints every problem and returns null when invalid. */
    @Nullable Place resolve(PrintWriter err) {
      Optional<ClusterSpec> cluster = Optional.empty();
      if (file != null) {
        cluster = ClusterCommand.read(file, err);
        if (cluster.isEmpty()) {
          return null;
        }
      }
      String r = region;
      List<String> z = new ArrayList<>(zones);
      if (cluster.isPresent()) {
        ClusterSpec c = cluster.get();
        String location = c.location();
        if (r == null) {
          r = c.zonal() ? location.substring(0, location.lastIndexOf('-')) : location;
        }
        if (z.isEmpty()) {
          z.addAll(c.zonal() ? List.of(location) : c.nodeLocations());
        }
      }
      if (bucketName().isEmpty() || bucketName().contains("/")) {
        err.println("error: --bucket: " + bucket + " is not a bucket (gs://NAME)");
        return null;
      }
      if (r == null) {
        err.println("error: give the cluster spec (-f FILE) or --region");
        return null;
      }
      return new Place(bucketName(), r.toLowerCase(Locale.ROOT), List.copyOf(z));
    }
  }

  /** The resolved bucket, region and zones. */
  record Place(String bucket, String region, List<String> zones) {}

  /** {@code storage check}: the bucket's location against the cluster's region. */
  @Command(
      name = "check",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference storage check -f cluster.yaml --bucket gs://my-models",
        "  gke-inference storage check --region us-central1 --bucket gs://my-models --strict"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Read the bucket's location and location type (Cloud Storage API, storage.buckets.get)"
            + " and compare them with the cluster's region: the same region passes; a"
            + " multi-region or dual-region that holds the region passes with a note; anything"
            + " else is a warning with the fix (https://cloud.google.com/storage/docs/locations).",
        "Exit 0 (1 on a warning with --strict, or when the bucket cannot be read), 2 on invalid"
            + " input."
      })
  static final class Check implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable StorageCommand parent;
    @Mixin Target target = new Target();
    @Mixin OutputFormat output = new OutputFormat();

    @Option(names = "--strict", description = "Exit 1 on a warning.")
    boolean strict;

    /** {@code -o json}: the check's result. */
    record Report(
        String bucket,
        String location,
        String locationType,
        List<String> dataLocations,
        String clusterRegion,
        String outcome,
        String severity,
        String message,
        String fix) {}

    @Override
    public Integer call() {
      CommandLine cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter out = cli.getOut();
      PrintWriter err = cli.getErr();
      Place place = target.resolve(err);
      if (place == null) {
        return GkeInferenceCli.INVALID;
      }
      BucketPlacement.Result r;
      try {
        r =
            withStorage(
                Objects.requireNonNull(parent).storage,
                gcs -> BucketPlacement.of(gcs).check(place.bucket(), place.region()));
      } catch (IOException | RuntimeException e) {
        return failed(err, e);
      }
      String severity = r.severity().map(s -> s.name()).orElse("PASS");
      if (output.table()) {
        Table.of("BUCKET", "LOCATION", "TYPE", "CLUSTER REGION", "RESULT")
            .row("gs://" + r.bucket(), r.location(), r.locationType(), r.clusterRegion(), severity)
            .print(out);
        out.println(r.message());
        if (!r.fix().isEmpty()) {
          out.println("fix: " + r.fix());
        }
      } else {
        output.print(
            out,
            new Report(
                r.bucket(),
                r.location(),
                r.locationType(),
                r.dataLocations(),
                r.clusterRegion(),
                r.outcome().name(),
                severity,
                r.message(),
                r.fix()));
      }
      out.flush();
      return strict && r.severity().isPresent() ? GkeInferenceCli.FINDINGS : GkeInferenceCli.OK;
    }
  }

  /** {@code storage cache}: Anywhere Caches. */
  @Command(
      name = "cache",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference storage cache create -f cluster.yaml --bucket gs://my-models",
        "  gke-inference storage cache list --bucket gs://my-models"
      },
      description = {
        "Create or list the bucket's Anywhere Caches (https://cloud.google.com/storage/docs/"
            + "anywhere-cache). gcloud equivalent: gcloud storage buckets anywhere-caches create"
            + " gs://BUCKET ZONE... --ttl=TTL --admission-policy=POLICY."
      },
      subcommands = {StorageCommand.Create.class, StorageCommand.ListCaches.class})
  static final class Cache implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable StorageCommand parent;

    @Override
    public Integer call() {
      CommandLine cli = Objects.requireNonNull(spec).commandLine();
      cli.getErr().println("error: choose create or list");
      cli.usage(cli.getErr());
      return GkeInferenceCli.INVALID;
    }
  }

  /** One cache, for {@code -o json} and the table. */
  record CacheRow(
      String zone,
      @Nullable String action,
      String state,
      long ttlSeconds,
      String admissionPolicy,
      String name) {
    static CacheRow of(@Nullable String action, CacheInfo c) {
      return new CacheRow(
          c.zone(), action, c.state(), c.ttl().getSeconds(), c.admissionPolicy(), c.name());
    }
  }

  private static void table(PrintWriter out, List<CacheRow> rows, boolean withAction) {
    Table t =
        withAction
            ? Table.of("ZONE", "ACTION", "STATE", "TTL", "ADMISSION")
            : Table.of("ZONE", "STATE", "TTL", "ADMISSION");
    for (CacheRow r : rows) {
      String ttl =
          Duration.ofSeconds(r.ttlSeconds()).toString().substring(2).toLowerCase(Locale.ROOT);
      if (withAction) {
        t.row(
            r.zone(),
            Objects.requireNonNullElse(r.action(), ""),
            r.state(),
            ttl,
            r.admissionPolicy());
      } else {
        t.row(r.zone(), r.state(), ttl, r.admissionPolicy());
      }
    }
    t.print(out);
  }

  /** {@code storage cache create}. */
  @Command(
      name = "create",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference storage cache create -f cluster.yaml --bucket gs://my-models",
        "  gke-inference storage cache create --region us-central1 --zones us-central1-a"
            + " --bucket gs://my-models --ttl 48h --admission-policy admit-on-second-miss"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Create an Anywhere Cache of the bucket in each of the cluster's zones that has none,"
            + " with a progress line per poll of each create operation; zones that already have"
            + " one are reported unchanged, so a second run creates nothing.",
        "Zones must be in the bucket's location (its region, or a region of its dual- or"
            + " multi-region); each bad zone is reported with its path. Exit 0 when every zone"
            + " has a cache, 1 when one is still being created or a call failed, 2 on invalid"
            + " input."
      })
  static final class Create implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable Cache parent;
    @Mixin Target target = new Target();
    @Mixin OutputFormat output = new OutputFormat();

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        converter = ClusterCommand.DurationConverter.class,
        description =
            "How long an entry lives, 1h to 168h (7 days); default 24h (the service's default).")
    Duration ttl = CacheSettings.DEFAULT_TTL;

    @Option(
        names = "--admission-policy",
        paramLabel = "POLICY",
        description = "admit-on-first-miss (default) or admit-on-second-miss.")
    String admission = AdmissionPolicy.ADMIT_ON_FIRST_MISS.value();

    @Option(
        names = "--poll-interval",
        paramLabel = "DURATION",
        converter = ClusterCommand.DurationConverter.class,
        description = "Time between two polls of an operation; default 10s.")
    Duration pollInterval = AnywhereCaches.DEFAULT_POLL_INTERVAL;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = ClusterCommand.DurationConverter.class,
        description =
            "How long to wait for each create; default 30m (then it is reported"
                + " pending: a cache can take longer to create).")
    Duration timeout = AnywhereCaches.DEFAULT_TIMEOUT;

    @Override
    public Integer call() {
      CommandLine cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter out = cli.getOut();
      PrintWriter err = cli.getErr();
      StorageCommand root = Objects.requireNonNull(Objects.requireNonNull(parent).parent);
      Place place = target.resolve(err);
      if (place == null) {
        return GkeInferenceCli.INVALID;
      }
      Optional<AdmissionPolicy> policy = AdmissionPolicy.ofValue(admission);
      if (policy.isEmpty()) {
        err.println(
            "error: --admission-policy: "
                + admission
                + " is not admit-on-first-miss or admit-on-second-miss");
        return GkeInferenceCli.INVALID;
      }
      List<Created> created;
      try (Progress progress = Progress.of(cli.getCommandSpec());
          StorageControlClient control = root.control.open()) {
        CacheSettings settings = new CacheSettings(ttl, policy.get());
        BucketPlacement.Result where =
            withStorage(
                root.storage, gcs -> BucketPlacement.of(gcs).check(place.bucket(), place.region()));
        Retrier retrier = Retrier.of(RetryPolicy.defaults(), root.clock, root.sleeper);
        created =
            AnywhereCaches.of(control, retrier)
                .polling(pollInterval, timeout)
                .create(
                    where,
                    place.zones(),
                    settings,
                    p ->
                        progress.println(
                            err,
                            "Anywhere Cache "
                                + p.zone()
                                + ": "
                                + (p.percent() < 0 ? "?" : p.percent())
                                + "%"
                                + (p.done() ? " done" : "")));
      } catch (SdkValidationException e) {
        for (Violation v : e.violations()) {
          err.println(v);
        }
        return GkeInferenceCli.INVALID;
      } catch (IOException | RuntimeException e) {
        return failed(err, e);
      }
      List<CacheRow> rows =
          created.stream()
              .map(c -> CacheRow.of(c.action().name().toLowerCase(Locale.ROOT), c.cache()))
              .toList();
      if (output.table()) {
        table(out, rows, true);
      } else {
        output.print(out, rows);
      }
      out.flush();
      return created.stream().anyMatch(c -> c.action() == AnywhereCaches.Action.PENDING)
          ? GkeInferenceCli.FINDINGS
          : GkeInferenceCli.OK;
    }
  }

  /** {@code storage cache list}. */
  @Command(
      name = "list",
      footerHeading = "%nExamples:%n",
      footer = {"  gke-inference storage cache list --bucket gs://my-models -o yaml"},
      mixinStandardHelpOptions = true,
      description = "List the bucket's Anywhere Caches (storage.anywhereCaches.list).")
  static final class ListCaches implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable Cache parent;
    @Mixin OutputFormat output = new OutputFormat();

    @Option(
        names = "--bucket",
        required = true,
        paramLabel = "gs://BUCKET",
        description = "The model bucket (gs://NAME or NAME).")
    String bucket = "";

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "Accepted for symmetry with create; not needed to list.")
    @Nullable Path file;

    @Override
    public Integer call() {
      CommandLine cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter out = cli.getOut();
      PrintWriter err = cli.getErr();
      StorageCommand root = Objects.requireNonNull(Objects.requireNonNull(parent).parent);
      Target t = new Target();
      t.bucket = bucket;
      if (t.bucketName().isEmpty() || t.bucketName().contains("/")) {
        err.println("error: --bucket: " + bucket + " is not a bucket (gs://NAME)");
        return GkeInferenceCli.INVALID;
      }
      List<CacheInfo> caches;
      try (StorageControlClient control = root.control.open()) {
        Retrier retrier = Retrier.of(RetryPolicy.defaults(), root.clock, root.sleeper);
        caches = AnywhereCaches.of(control, retrier).list(t.bucketName());
      } catch (IOException | RuntimeException e) {
        return failed(err, e);
      }
      List<CacheRow> rows = caches.stream().map(c -> CacheRow.of(null, c)).toList();
      if (output.table()) {
        table(out, rows, false);
        if (rows.isEmpty()) {
          out.println("no Anywhere Caches on gs://" + t.bucketName());
        }
      } else {
        output.print(out, rows);
      }
      out.flush();
      return GkeInferenceCli.OK;
    }
  }

  /**
   * Opens a Storage client, runs {@code action} with it and closes it ({@link Storage#close()}
   * declares {@code Exception}, so it is not a try-with-resources resource here).
   */
  private static <T> T withStorage(
      StorageOpener opener, java.util.function.Function<Storage, T> action) throws IOException {
    Storage gcs = opener.open();
    try {
      return action.apply(gcs);
    } finally {
      try {
        gcs.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        // closing releases the HTTP transport; a failure there does not change the result
      }
    }
  }

  /** Prints a cloud failure in one line (no stack trace) and returns exit code 1. */
  private static int failed(PrintWriter err, Exception e) {
    if (e instanceof IOException) {
      err.println(
          "error: cannot reach Cloud Storage: "
              + e.getMessage()
              + " (set up Application Default Credentials: gcloud auth application-default"
              + " login)");
    } else if (e instanceof SdkException) {
      err.println("error: " + e.getMessage());
    } else {
      err.println("error: " + e);
    }
    return GkeInferenceCli.FINDINGS;
  }
}
