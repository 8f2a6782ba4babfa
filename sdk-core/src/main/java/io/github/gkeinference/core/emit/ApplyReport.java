package io.github.gkeinference.core.emit;

import io.github.gkeinference.core.SdkException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of applying a rendered set: one {@link ResourceResult} per resource in apply order,
 * then the pruned objects. A failure part-way shows what was applied, what failed and what was not
 * attempted.
 *
 * @param results every resource's result
 * @param dryRun whether this was a server-side dry run (nothing was changed)
 */
public record ApplyReport(List<ResourceResult> results, boolean dryRun) {

  /** Copies the list. */
  public ApplyReport {
    results = List.copyOf(results);
  }

  /** Returns the results with this action. */
  public List<ResourceResult> withAction(ApplyAction action) {
    return results.stream().filter(r -> r.action() == action).toList();
  }

  /** Returns how many resources now hold the applied configuration. */
  public long appliedCount() {
    return results.stream().filter(ResourceResult::applied).count();
  }

  /** Returns whether any resource failed. */
  public boolean hasFailures() {
    return results.stream().anyMatch(r -> r.action() == ApplyAction.FAILED);
  }

  /** Returns whether every checked workload became ready. */
  public boolean allReady() {
    return results.stream().noneMatch(r -> r.readiness() == ResourceResult.Readiness.NOT_READY);
  }

  /**
   * Throws when any resource failed or a checked workload did not become ready.
   *
   * @return this report
   * @throws SdkException listing every result
   */
  public ApplyReport throwIfFailed() {
    if (hasFailures() || !allReady()) {
      throw new SdkException("apply did not complete:\n" + this);
    }
    return this;
  }

  /** Returns one line per resource. */
  @Override
  public String toString() {
    return results.stream().map(r -> "  " + r).collect(Collectors.joining("\n"));
  }
}
