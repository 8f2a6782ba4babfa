package io.github.gkeinference.observability;

import java.util.List;

/**
 * What {@link MonitoringProvisioner#apply} did, by resource ({@code kind name}).
 *
 * @param created resources that did not exist
 * @param updated resources that existed and differed
 * @param unchanged resources that existed as rendered
 */
public record MonitoringProvisionResult(
    List<String> created, List<String> updated, List<String> unchanged) {
  /** Copies the lists. */
  public MonitoringProvisionResult {
    created = List.copyOf(created);
    updated = List.copyOf(updated);
    unchanged = List.copyOf(unchanged);
  }
}
