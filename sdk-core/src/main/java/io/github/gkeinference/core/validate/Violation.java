package io.github.gkeinference.core.validate;

import io.github.gkeinference.core.spec.SdkStyle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One problem found in a spec: where it is, what was rejected and what would be valid.
 *
 * @param path the field path from the root spec, for example {@code serving.model.source.bucket}
 * @param rejectedValue the rejected value as text, {@value SdkStyle#REDACTED} when it is a secret,
 *     or {@code null} when the value is missing; token-like strings in it, the path and the message
 *     are masked by {@link Secrets#mask(String)}
 * @param message a sentence that says what would be valid
 * @param severity whether the problem blocks rendering
 */
public record Violation(
    String path, @Nullable String rejectedValue, String message, Severity severity) {

  /** Validates the components and masks token-like strings in them ({@link Secrets}). */
  public Violation {
    path = Secrets.mask(Objects.requireNonNull(path, "path"));
    rejectedValue = Secrets.maskNullable(rejectedValue);
    message = Secrets.mask(Objects.requireNonNull(message, "message"));
    Objects.requireNonNull(severity, "severity");
  }

  /**
   * Creates an error.
   *
   * @param path the field path
   * @param rejectedValue the rejected value, or {@code null} when missing
   * @param message what would be valid
   * @return the violation
   */
  public static Violation error(String path, @Nullable Object rejectedValue, String message) {
    return new Violation(path, text(rejectedValue), message, Severity.ERROR);
  }

  /**
   * Creates a warning.
   *
   * @param path the field path
   * @param rejectedValue the questionable value, or {@code null}
   * @param message what would be better
   * @return the violation
   */
  public static Violation warning(String path, @Nullable Object rejectedValue, String message) {
    return new Violation(path, text(rejectedValue), message, Severity.WARNING);
  }

  /**
   * Creates an error about a secret value; the value itself is never kept.
   *
   * @param path the field path
   * @param message what would be valid
   * @return the violation, with its rejected value masked
   */
  public static Violation secretError(String path, String message) {
    return new Violation(path, SdkStyle.REDACTED, message, Severity.ERROR);
  }

  /**
   * Returns this violation with its path placed under a parent path.
   *
   * @param parent the parent path, for example {@code serving}
   * @return a violation whose path is {@code parent.path}
   */
  public Violation under(String parent) {
    return new Violation(Violations.join(parent, path), rejectedValue, message, severity);
  }

  /** Returns whether this violation blocks rendering. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** Returns one line: {@code ERROR path: message (rejected: value)}. */
  @Override
  public String toString() {
    var line =
        new StringBuilder().append(severity).append(' ').append(path).append(": ").append(message);
    if (rejectedValue != null) {
      line.append(" (rejected: ").append(rejectedValue).append(')');
    }
    return line.toString();
  }

  private static @Nullable String text(@Nullable Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
