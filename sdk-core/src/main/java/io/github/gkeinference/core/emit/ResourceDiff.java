package io.github.gkeinference.core.emit;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one live object differs from the desired one, before anything is applied.
 *
 * @param kind the kind
 * @param namespace the namespace, or {@code null} for cluster-scoped objects
 * @param name the name
 * @param change the kind of difference
 * @param changedFields the desired fields the live object does not hold, as paths such as {@code
 *     spec.replicas} or {@code spec.template.spec.containers[0].image}
 */
public record ResourceDiff(
    String kind,
    @Nullable String namespace,
    String name,
    Change change,
    List<String> changedFields) {

  /** Copies the list. */
  public ResourceDiff {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(change, "change");
    changedFields = List.copyOf(changedFields);
  }

  /** The kind of difference. */
  public enum Change {
    /** The object does not exist yet. */
    ADDED,
    /** The object exists and some desired fields differ. */
    CHANGED,
    /** The object holds every desired field. */
    UNCHANGED,
    /** The object carries the ownership labels but is not in the set: pruning would delete it. */
    WOULD_PRUNE
  }
}
