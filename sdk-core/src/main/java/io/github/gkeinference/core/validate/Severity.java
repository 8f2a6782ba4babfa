package io.github.gkeinference.core.validate;

/** How serious a {@link Violation} is. */
public enum Severity {
  /** The spec cannot be rendered or applied; nothing is emitted while any error remains. */
  ERROR,
  /** The spec can be rendered, but the result is probably not what the caller wants. */
  WARNING
}
