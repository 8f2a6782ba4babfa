package io.github.gkeinference.accelerators.preflight;

import java.util.List;

/**
 * The rows of one preflight run, in the order they were checked.
 *
 * @param project the project checked
 * @param region the region checked
 * @param checks the rows
 */
public record PreflightReport(String project, String region, List<PreflightCheck> checks) {
  /** Copies the rows. */
  public PreflightReport {
    checks = List.copyOf(checks);
  }

  /** Returns whether any row failed. */
  public boolean failed() {
    return checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL);
  }

  /**
   * Returns the rows of one check.
   *
   * @param check for example {@code quota}
   * @return the rows, possibly empty
   */
  public List<PreflightCheck> rows(String check) {
    return checks.stream().filter(c -> c.check().equals(check)).toList();
  }
}
