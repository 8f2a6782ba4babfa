package io.github.gkeinference.observability.query;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One query of a service's metrics, in the two languages Cloud Monitoring accepts.
 *
 * @param title what it measures, for chart titles
 * @param promQl the PromQL expression
 * @param filter the equivalent Cloud Monitoring time-series filter of the raw metric, or null when
 *     the value needs PromQL (percentiles, ratios)
 */
public record MetricQuery(String title, String promQl, @Nullable String filter) {
  /** Validates the components. */
  public MetricQuery {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(promQl, "promQl");
  }
}
