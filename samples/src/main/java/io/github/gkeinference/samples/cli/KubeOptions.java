package io.github.gkeinference.samples.cli;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The options that choose the cluster: a kubeconfig file and a context, default the current. */
final class KubeOptions {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig file; default: KUBECONFIG or ~/.kube/config.")
  @Nullable Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "The kubeconfig context; default: the current context.")
  @Nullable String context;

  /** fabric8's master URL when it found neither a kubeconfig nor an in-cluster service. */
  private static final String NO_CLUSTER = "https://kubernetes.default.svc/";

  /**
   * Returns the configuration of the chosen cluster, checked before any connection: the kubeconfig
   * files parse, and a {@code --context} names a context they hold (fabric8 alone would fall back
   * to the current context on an unknown name).
   *
   * @throws IllegalStateException with a one-line reason when no cluster can be chosen
   */
  Config config() {
    Config config;
    if (kubeconfig != null) {
      File file = kubeconfig.toFile();
      if (!file.exists()) {
        throw new IllegalStateException("kubeconfig " + kubeconfig + " does not exist");
      }
      requireUsable(kubeconfig);
      config = parse(file, () -> Config.fromKubeconfig(context, file));
    } else {
      for (String name : Config.getKubeconfigFilenames()) {
        File file = new File(name);
        if (file.exists()) {
          requireUsable(file.toPath());
          parse(file, () -> Config.fromKubeconfig(null, file));
        }
      }
      config = Config.autoConfigure(context);
      if (config.getCurrentContext() == null
          && context == null
          && NO_CLUSTER.equals(config.getMasterUrl())) {
        throw new IllegalStateException(
            "no kubeconfig context found; set KUBECONFIG, pass --kubeconfig FILE, or run"
                + " 'gcloud container clusters get-credentials CLUSTER'");
      }
    }
    NamedContext chosen = config.getCurrentContext();
    if (context != null && (chosen == null || !context.equals(chosen.getName()))) {
      List<String> known = new ArrayList<>();
      if (config.getContexts() != null) {
        config.getContexts().forEach(c -> known.add(c.getName()));
      }
      throw new IllegalStateException(
          "unknown context '"
              + context
              + "' in "
              + (kubeconfig != null ? "kubeconfig " + kubeconfig : "the kubeconfig")
              + (known.isEmpty() ? " (it has no contexts)" : "; known contexts: " + known));
    }
    if (chosen == null && kubeconfig != null) {
      throw new IllegalStateException(
          "kubeconfig " + kubeconfig + " has no current context; pass --context NAME");
    }
    config.setRequestRetryBackoffLimit(0);
    return config;
  }

  /** Checks a kubeconfig's size and type before fabric8 parses it. */
  private static void requireUsable(Path file) {
    try {
      InputFiles.check(file);
    } catch (InputFiles.InputException e) {
      throw new IllegalStateException("kubeconfig " + e.getMessage(), e);
    }
  }

  /** Runs a fabric8 kubeconfig read, turning its failure into a one-line reason. */
  private static Config parse(File file, Supplier<Config> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      throw new IllegalStateException("kubeconfig " + file + " cannot be read: " + describe(e), e);
    }
  }

  /**
   * Returns the line that says which cluster a command talks to: the context and the API server.
   */
  static String target(Config config) {
    NamedContext current = config.getCurrentContext();
    return "cluster: "
        + (current == null ? "in-cluster service account" : "context " + current.getName())
        + ", API server "
        + config.getMasterUrl();
  }

  /**
   * What {@link #run} returns: the work's result, or null and the exit code after the error was
   * printed.
   */
  record Outcome<T>(@Nullable T value, int exitCode) {}

  /**
   * Runs work with a client for the chosen cluster and closes the client; before the first request
   * it prints the context and API server to {@code err}. A cluster that cannot be chosen and bad
   * input ({@link SdkValidationException}, one line per violation) give {@link
   * GkeInferenceCli#INVALID}; a failure against the cluster gives {@link GkeInferenceCli#FINDINGS}.
   */
  <T> Outcome<T> run(PrintWriter err, Function<KubernetesClient, T> work) {
    Config config;
    try {
      config = config();
    } catch (IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return new Outcome<>(null, GkeInferenceCli.INVALID);
    }
    err.println(target(config));
    err.flush();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try (client) {
      return new Outcome<>(work.apply(client), GkeInferenceCli.OK);
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return new Outcome<>(null, GkeInferenceCli.INVALID);
    } catch (SdkException | KubernetesClientException e) {
      err.println("error: " + describe(e));
      return new Outcome<>(null, GkeInferenceCli.FINDINGS);
    }
  }

  /**
   * Returns the apply-set name to use when none is given: the directory's name as a label value
   * (lower case, other characters as '-', at most 63 characters).
   */
  static String defaultInstance(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    String raw = name == null ? "manifests" : name.toString();
    String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    s = s.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
    if (s.length() > 63) {
      s = s.substring(0, 63).replaceAll("[^a-z0-9]+$", "");
    }
    return s.isEmpty() ? "manifests" : s;
  }

  /**
   * Returns an exception's message on one line with its root cause, which says why the cluster
   * could not be reached (connection refused, unknown host...).
   */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " ");
    if (root == e || root.getMessage() == null || message.contains(root.getMessage())) {
      return message;
    }
    return message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
