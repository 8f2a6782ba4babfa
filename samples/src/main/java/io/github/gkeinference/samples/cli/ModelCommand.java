package io.github.gkeinference.samples.cli;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.emit.ManifestDirectory;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.ModelDownloadJob;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.store.ModelStore;
import io.github.gkeinference.core.store.ModelVerification;
import io.github.gkeinference.core.store.UploadResult;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code model download|upload|verify}: renders the Job that copies a model from the Hugging Face
 * hub into a bucket, or uploads and verifies a model folder through {@link ModelStore}.
 */
@Command(
    name = "model",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference model download meta-llama/Llama-3.1-8B-Instruct \\",
      "      --to gs://my-models/meta-llama/llama-3.1-8b-instruct --token-secret hf-token:token",
      "  gke-inference model upload ./Llama-3.1-8B-Instruct --to gs://my-models/llama-3.1-8b",
      "  gke-inference model verify gs://my-models/llama-3.1-8b"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Copy a model into Cloud Storage and check it is complete: 'download' renders a Kubernetes"
          + " Job that downloads from the Hugging Face hub, uploads to the bucket and verifies"
          + " every object's MD5; 'upload' and 'verify' run here, against Cloud Storage.",
      "Credentials: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, or 'gcloud"
          + " auth application-default login')."
    },
    subcommands = {
      ModelCommand.Download.class,
      ModelCommand.Upload.class,
      ModelCommand.Verify.class
    })
final class ModelCommand implements Callable<Integer> {

  /** Opens the Cloud Storage client; the command closes it. */
  interface StorageOpener {
    /** Opens a client, or fails when no credentials are found. */
    Storage open() throws IOException;
  }

  private final StorageOpener opener;

  @Spec @Nullable CommandSpec spec;

  /** The command as users run it: Cloud Storage through Application Default Credentials. */
  ModelCommand() {
    this(ModelCommand::defaultStorage);
  }

  /** The command with another way to reach Cloud Storage (tests: LocalStorageHelper). */
  ModelCommand(StorageOpener opener) {
    this.opener = opener;
  }

  private static Storage defaultStorage() throws IOException {
    // fails at once, with the library's explanation, when the environment holds no credentials
    GoogleCredentials credentials = GoogleCredentials.getApplicationDefault();
    return StorageOptions.newBuilder().setCredentials(credentials).build().getService();
  }

  @Override
  public Integer call() {
    CommandLine cli = Objects.requireNonNull(spec).commandLine();
    cli.getErr().println("error: choose download, upload or verify");
    cli.usage(cli.getErr());
    return GkeInferenceCli.INVALID;
  }

  /** Reads a {@code gs://bucket/path} option value. */
  static final class LocationConverter implements CommandLine.ITypeConverter<GcsLocation> {
    @Override
    public GcsLocation convert(String value) {
      try {
        return GcsLocation.parse(value);
      } catch (SdkValidationException e) {
        throw new CommandLine.TypeConversionException(
            "'"
                + value
                + "' is not a Cloud Storage folder: "
                + e.violations().get(0).message()
                + " (for example gs://my-models/qwen/qwen3-32b)");
      }
    }
  }

  /** {@code model download MODEL_ID --to gs://...}: renders the download Job. */
  @Command(
      name = "download",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference model download google/gemma-3-1b-it --to gs://my-models/gemma-3-1b-it",
        "  gke-inference model download meta-llama/Llama-3.1-8B-Instruct \\",
        "      --to gs://my-models/llama-3.1-8b --token-secret hf-token:token -n models --out job"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Render the Kubernetes Job that downloads a model from the Hugging Face hub, copies it to"
            + " a Cloud Storage folder and verifies the MD5 of every uploaded object against the"
            + " downloaded file (the Job fails on a mismatch), as YAML files and a"
            + " kustomization.yaml (or to standard output). Apply it with 'kubectl apply -k DIR'"
            + " or 'gke-inference apply DIR'.",
        "The Job's service account must be bound by Workload Identity to a principal that may"
            + " write to the bucket."
      })
  static final class Download implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "MODEL_ID",
        description = "The Hugging Face repository id, e.g. meta-llama/Llama-3.1-8B-Instruct.")
    String modelId = "";

    @Option(
        names = "--to",
        required = true,
        paramLabel = "GS_URI",
        converter = LocationConverter.class,
        description = "The bucket folder to copy the files into, e.g. gs://my-models/llama-3.1-8b.")
    @Nullable GcsLocation destination;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The Job's name; default download-<model name>.")
    @Nullable String name;

    @Option(
        names = {"-n", "--namespace"},
        paramLabel = "NAMESPACE",
        defaultValue = "default",
        description = "The Job's namespace; default default.")
    String namespace = "default";

    @Option(
        names = "--service-account",
        paramLabel = "KSA",
        defaultValue = "model-downloader",
        description =
            "The Kubernetes service account the Job runs as (Workload Identity, write access to"
                + " the bucket); default model-downloader.")
    String serviceAccount = "model-downloader";

    @Option(
        names = "--token-secret",
        paramLabel = "SECRET:KEY",
        description =
            "The Secret and key holding a hub token with read scope (gated models); the token"
                + " never appears in the YAML.")
    @Nullable String tokenSecret;

    @Option(
        names = "--revision",
        paramLabel = "REV",
        description = "A branch, tag or commit to download; default the main branch.")
    @Nullable String revision;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Directory to write; without it the YAML goes to standard output.")
    @Nullable Path out;

    @Override
    public Integer call() {
      CommandLine cli = Objects.requireNonNull(spec).commandLine();
      PrintWriter err = cli.getErr();
      if (out != null && out.toString().isBlank()) {
        err.println("error: --out needs a directory name");
        return GkeInferenceCli.INVALID;
      }
      RenderedSet set;
      try {
        ModelDownloadJob.Builder job =
            ModelDownloadJob.builder()
                .name(name != null ? name : defaultName(modelId))
                .namespace(namespace)
                .modelId(modelId)
                .destination(Objects.requireNonNull(destination))
                .serviceAccountName(serviceAccount);
        if (revision != null) {
          job.revision(revision);
        }
        if (tokenSecret != null) {
          int colon = tokenSecret.indexOf(':');
          if (colon <= 0 || colon == tokenSecret.length() - 1) {
            err.println(
                "error: --token-secret must be SECRET:KEY (a Secret's name and key), e.g."
                    + " hf-token:token");
            return GkeInferenceCli.INVALID;
          }
          job.token(
              SecretRef.of(tokenSecret.substring(0, colon), tokenSecret.substring(colon + 1)));
        }
        set = job.build().render();
      } catch (SdkValidationException e) {
        for (Violation v : e.violations()) {
          err.println(v);
        }
        return GkeInferenceCli.INVALID;
      }
      if (out == null) {
        cli.getOut().print(ManifestYaml.toYaml(set));
        cli.getOut().flush();
        return GkeInferenceCli.OK;
      }
      List<Path> files;
      try {
        files = ManifestDirectory.write(set, out);
      } catch (SdkException e) {
        err.println("error: " + e.getMessage());
        return GkeInferenceCli.INVALID;
      }
      cli.getOut().println("Wrote " + files.size() + " files to " + out);
      return GkeInferenceCli.OK;
    }

    /**
     * {@code download-} and the repository's name as a DNS-1123 label, e.g. download-gemma-3-1b-it.
     */
    static String defaultName(String modelId) {
      String repo = modelId.substring(modelId.indexOf('/') + 1).toLowerCase(Locale.ROOT);
      String label = ("download-" + repo.replaceAll("[^a-z0-9]+", "-"));
      label = label.length() > 63 ? label.substring(0, 63) : label;
      return label.replaceAll("-+$", "");
    }
  }

  /** {@code model upload DIR --to gs://...}: uploads and then verifies. */
  @Command(
      name = "upload",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference model upload ./Qwen3-32B --to gs://my-models/qwen/qwen3-32b",
        "  gke-inference model upload ./Qwen3-32B --to gs://my-models/qwen/qwen3-32b -j 16 -q"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Upload a local model folder to Cloud Storage, then verify it is complete (as 'model"
            + " verify'). Each file goes up with its CRC32C, so Cloud Storage refuses a corrupted"
            + " copy; files already there with the same size and CRC32C are skipped, so running it"
            + " again after a failure uploads only what is missing. Hidden files and folders"
            + " (.cache) are left out; nothing is deleted. A progress line shows the bytes done on"
            + " a terminal (not with --quiet).",
        "Exit 0 when uploaded and complete, 1 when the upload fails or the model is incomplete, 2"
            + " on invalid input."
      })
  static final class Upload implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable ModelCommand parent;

    @Parameters(index = "0", paramLabel = "DIR", description = "The local model folder.")
    Path directory = Path.of(".");

    @Option(
        names = "--to",
        required = true,
        paramLabel = "GS_URI",
        converter = LocationConverter.class,
        description = "The bucket folder, e.g. gs://my-models/qwen/qwen3-32b.")
    @Nullable GcsLocation destination;

    @Option(
        names = {"-j", "--parallelism"},
        paramLabel = "N",
        defaultValue = "8",
        description = "Files uploaded at once; default 8.")
    int parallelism = 8;

    @Override
    public Integer call() {
      CommandSpec command = Objects.requireNonNull(spec);
      PrintWriter out = command.commandLine().getOut();
      PrintWriter err = command.commandLine().getErr();
      if (parallelism < 1 || parallelism > 64) {
        err.println("error: --parallelism must be between 1 and 64, was " + parallelism);
        return GkeInferenceCli.INVALID;
      }
      if (!java.nio.file.Files.isDirectory(directory)) {
        err.println("error: not a directory: " + directory);
        return GkeInferenceCli.INVALID;
      }
      GcsLocation to = Objects.requireNonNull(destination);
      return Objects.requireNonNull(parent)
          .withStore(
              to,
              err,
              store -> {
                UploadResult result;
                ModelVerification verification;
                try (Progress progress = Progress.of(command)) {
                  result =
                      store.upload(
                          directory,
                          parallelism,
                          (file, done, total) ->
                              progress.status(
                                  "uploading to " + to.uri() + ": " + bytes(done, total)));
                  verification = progress.ticking("verifying " + to.uri(), store::verify);
                }
                out.println(
                    "Uploaded "
                        + result.uploaded().size()
                        + " files ("
                        + size(result.bytesUploaded())
                        + ") to "
                        + to.uri()
                        + "; skipped "
                        + result.skipped().size()
                        + " already there ("
                        + size(result.bytesSkipped())
                        + ")");
                return report(verification, out, err);
              });
    }
  }

  /** {@code model verify gs://...}: checks the model is complete. */
  @Command(
      name = "verify",
      footerHeading = "%nExamples:%n",
      footer = {
        "  gke-inference model verify gs://my-models/qwen/qwen3-32b",
        "  gke-inference model verify gs://my-models/qwen/qwen3-32b -o json"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Check that a model in Cloud Storage is complete: config.json is there, and every shard"
            + " the safetensors index lists is there and not empty, with the shards together at"
            + " least the index's total size (or model.safetensors is there). Lists every missing"
            + " object and problem.",
        "Exit 0 when complete, 1 when anything is missing or wrong, 2 on invalid input."
      })
  static final class Verify implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;
    @ParentCommand @Nullable ModelCommand parent;
    @Mixin OutputFormat output = new OutputFormat();

    @Parameters(
        index = "0",
        paramLabel = "GS_URI",
        converter = LocationConverter.class,
        description = "The bucket folder, e.g. gs://my-models/qwen/qwen3-32b.")
    @Nullable GcsLocation location;

    @Override
    public Integer call() {
      CommandSpec command = Objects.requireNonNull(spec);
      PrintWriter out = command.commandLine().getOut();
      PrintWriter err = command.commandLine().getErr();
      GcsLocation at = Objects.requireNonNull(location);
      return Objects.requireNonNull(parent)
          .withStore(
              at,
              err,
              store -> {
                ModelVerification verification;
                try (Progress progress = Progress.of(command)) {
                  verification = progress.ticking("verifying " + at.uri(), store::verify);
                }
                if (!output.table()) {
                  output.print(out, verification);
                  return verification.isComplete() ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
                }
                return report(verification, out, err);
              });
    }
  }

  /** Work with an open store; returns the exit code. */
  private interface StoreWork {
    int run(ModelStore store);
  }

  /** Opens Cloud Storage, runs the work and turns failures into one error line each. */
  private int withStore(GcsLocation location, PrintWriter err, StoreWork work) {
    Storage storage;
    try {
      storage = opener.open();
    } catch (IOException e) {
      return CloudErrors.noCredentials(e, err);
    }
    try {
      return work.run(ModelStore.of(storage, location));
    } catch (SdkException e) {
      return CloudErrors.report(e, err);
    } finally {
      close(storage);
    }
  }

  private static void close(Storage storage) {
    try {
      storage.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the work is done; a client that does not close cleanly changes nothing for the user
    }
  }

  /** Prints a verification as text; returns 0 when complete, else 1. */
  static int report(ModelVerification v, PrintWriter out, PrintWriter err) {
    if (v.isComplete()) {
      out.println(
          "Complete: "
              + v.location()
              + " holds "
              + v.objectCount()
              + " objects ("
              + size(v.totalBytes())
              + ")");
      return GkeInferenceCli.OK;
    }
    for (String missing : v.missingObjects()) {
      err.println("missing: gs://" + bucket(v.location()) + "/" + missing);
    }
    for (String problem : v.problems()) {
      err.println("problem: " + problem);
    }
    out.println(
        "Incomplete: "
            + v.location()
            + ": "
            + v.missingObjects().size()
            + " missing, "
            + v.problems().size()
            + " other problems ("
            + v.objectCount()
            + " objects, "
            + size(v.totalBytes())
            + ")");
    return GkeInferenceCli.FINDINGS;
  }

  private static String bucket(String uri) {
    String rest = uri.substring("gs://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** {@code 1.5 GiB / 60.0 GiB (2%)}. */
  static String bytes(long done, long total) {
    long percent = total == 0 ? 100 : done * 100 / total;
    return size(done) + " / " + size(total) + " (" + percent + "%)";
  }

  /** Bytes in binary units with one decimal: {@code 512 B}, {@code 1.5 KiB}, {@code 60.0 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
