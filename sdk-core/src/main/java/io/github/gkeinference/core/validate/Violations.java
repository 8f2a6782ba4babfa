package io.github.gkeinference.core.validate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Collects violations while a spec and its nested specs are validated, keeping field paths right.
 *
 * <p>A collector has a path prefix; {@link #at(String)} and {@link #at(String, int)} return views
 * that share the same list with a longer prefix, so nested validation does not need to know where
 * it sits:
 *
 * <pre>{@code
 * Violations v = Violations.root();
 * v.require(replicas >= 0, "replicas", replicas, "must be zero or more");
 * Violations model = v.at("model");
 * model.require(!id.isBlank(), "id", id, "must not be empty");   // path "model.id"
 * v.throwIfErrors();
 * }</pre>
 *
 * <p>Not thread-safe: one validation runs on one thread.
 */
public final class Violations {
  private final List<Violation> found;
  private final String prefix;

  private Violations(List<Violation> found, String prefix) {
    this.found = found;
    this.prefix = prefix;
  }

  /** Returns an empty collector at the root path. */
  public static Violations root() {
    return new Violations(new ArrayList<>(), "");
  }

  /**
   * Returns an empty collector whose paths start with {@code prefix}.
   *
   * @param prefix the path of the spec being validated, for example {@code serving}
   * @return the collector
   */
  public static Violations root(String prefix) {
    return new Violations(new ArrayList<>(), prefix);
  }

  /**
   * Returns a view for a nested field that adds to the same list.
   *
   * @param field the nested field name
   * @return the nested collector
   */
  public Violations at(String field) {
    return new Violations(found, join(prefix, field));
  }

  /**
   * Returns a view for one element of a list field.
   *
   * @param field the list field name
   * @param index the element's index
   * @return the nested collector, with path {@code field[index]}
   */
  public Violations at(String field, int index) {
    return new Violations(found, join(prefix, field) + "[" + index + "]");
  }

  /** Returns the path prefix of this view. */
  public String path() {
    return prefix;
  }

  /**
   * Records an error at {@code field}.
   *
   * @param field the field, relative to this view ({@code ""} for the view itself)
   * @param rejectedValue the rejected value, or {@code null} when missing
   * @param message what would be valid
   * @return this collector
   */
  public Violations error(String field, @Nullable Object rejectedValue, String message) {
    found.add(Violation.error(join(prefix, field), rejectedValue, message));
    return this;
  }

  /**
   * Records a warning at {@code field}.
   *
   * @param field the field, relative to this view
   * @param value the questionable value, or {@code null}
   * @param message what would be better
   * @return this collector
   */
  public Violations warning(String field, @Nullable Object value, String message) {
    found.add(Violation.warning(join(prefix, field), value, message));
    return this;
  }

  /**
   * Records an error about a secret; the value is masked.
   *
   * @param field the field, relative to this view
   * @param message what would be valid
   * @return this collector
   */
  public Violations secretError(String field, String message) {
    found.add(Violation.secretError(join(prefix, field), message));
    return this;
  }

  /**
   * Records an error at {@code field} unless {@code condition} holds.
   *
   * @param condition what must be true
   * @param field the field, relative to this view
   * @param rejectedValue the value that was checked
   * @param message what would be valid
   * @return this collector
   */
  public Violations require(
      boolean condition, String field, @Nullable Object rejectedValue, String message) {
    if (!condition) {
      error(field, rejectedValue, message);
    }
    return this;
  }

  /**
   * Adds violations found elsewhere (for example by a nested spec's own validation), placing their
   * paths under this view's prefix.
   *
   * @param violations the violations, with paths relative to this view
   * @return this collector
   */
  public Violations addAll(Collection<Violation> violations) {
    for (Violation v : violations) {
      found.add(prefix.isEmpty() ? v : v.under(prefix));
    }
    return this;
  }

  /**
   * Runs a nested validation at {@code field}.
   *
   * @param field the nested field
   * @param nested the validation, given the nested view
   * @return this collector
   */
  public Violations nested(String field, Consumer<Violations> nested) {
    nested.accept(at(field));
    return this;
  }

  /** Returns every violation collected so far, through any view. */
  public List<Violation> all() {
    return List.copyOf(found);
  }

  /** Returns whether any error (not warning) was collected. */
  public boolean hasErrors() {
    return found.stream().anyMatch(Violation::isError);
  }

  /**
   * Throws an {@link SdkValidationException} listing every violation when any error was collected.
   *
   * @throws SdkValidationException when at least one error was collected
   */
  public void throwIfErrors() {
    if (hasErrors()) {
      throw new SdkValidationException(found);
    }
  }

  static String join(String parent, String child) {
    if (parent.isEmpty()) {
      return child;
    }
    if (child.isEmpty()) {
      return parent;
    }
    return child.startsWith("[") ? parent + child : parent + "." + child;
  }
}
