package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.io.IOException;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/**
 * How the commands that call Google APIs through Application Default Credentials ({@code model},
 * {@code monitor}) report failures: one line each, never a stack trace.
 */
final class CloudErrors {
  private CloudErrors() {}

  /** Reports that no credentials were found; returns exit code 1. */
  static int noCredentials(IOException e, PrintWriter err) {
    err.println(
        "error: no Google credentials: "
            + firstLine(e.getMessage())
            + " (run 'gcloud auth application-default login' or set"
            + " GOOGLE_APPLICATION_CREDENTIALS)");
    return GkeInferenceCli.FINDINGS;
  }

  /**
   * Reports an SDK failure: every violation (exit 2) or the failed operation and its cause's first
   * line (exit 1).
   */
  static int report(SdkException e, PrintWriter err) {
    if (e instanceof SdkValidationException invalid) {
      invalid.violations().forEach(err::println);
      return GkeInferenceCli.INVALID;
    }
    Throwable cause = e.getCause();
    err.println(
        "error: "
            + e.getMessage()
            + (cause == null || cause.getMessage() == null
                ? ""
                : ": " + firstLine(cause.getMessage())));
    return GkeInferenceCli.FINDINGS;
  }

  private static String firstLine(@Nullable String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").strip();
  }
}
