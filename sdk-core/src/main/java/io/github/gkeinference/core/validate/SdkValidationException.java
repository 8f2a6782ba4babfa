package io.github.gkeinference.core.validate;

import io.github.gkeinference.core.SdkException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a spec is invalid; lists every violation found, not only the first.
 *
 * <p>The message has one line per violation, so a command-line tool can print it as it is. Secret
 * values are masked in the violations before they reach this exception.
 */
public final class SdkValidationException extends SdkException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings(
      "serial") // an immutable List.copyOf list of records; never serialized in practice
  private final List<Violation> violations;

  /**
   * Creates the exception.
   *
   * @param violations every violation found; must not be empty
   */
  public SdkValidationException(List<Violation> violations) {
    super(message(violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an SdkValidationException needs at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  /** Returns every violation, errors and warnings, in the order they were found. */
  public List<Violation> violations() {
    return violations;
  }

  /** Returns the violations of severity {@link Severity#ERROR}. */
  public List<Violation> errors() {
    return violations.stream().filter(Violation::isError).toList();
  }

  private static String message(List<Violation> violations) {
    long errors = violations.stream().filter(Violation::isError).count();
    return "Invalid specification ("
        + errors
        + (errors == 1 ? " error" : " errors")
        + "):\n"
        + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
  }
}
