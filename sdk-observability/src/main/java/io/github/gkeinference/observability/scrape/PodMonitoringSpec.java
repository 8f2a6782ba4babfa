package io.github.gkeinference.observability.scrape;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@link PodMonitoring} or {@link ClusterPodMonitoring}: which pods, which endpoints,
 * which target labels. Only the fields the SDK renders are modelled.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PodMonitoringSpec {

  private @Nullable LabelSelector selector;
  private List<ScrapeEndpoint> endpoints = new ArrayList<>();
  private @Nullable TargetLabels targetLabels;

  /** Creates an empty spec. */
  public PodMonitoringSpec() {}

  /** Returns the pod selector. */
  public @Nullable LabelSelector getSelector() {
    return selector;
  }

  /** Sets the pod selector. */
  public void setSelector(@Nullable LabelSelector selector) {
    this.selector = selector;
  }

  /** Returns the endpoints to scrape. */
  public List<ScrapeEndpoint> getEndpoints() {
    return endpoints;
  }

  /** Sets the endpoints to scrape. */
  public void setEndpoints(List<ScrapeEndpoint> endpoints) {
    this.endpoints = new ArrayList<>(endpoints);
  }

  /** Returns the target labels, or null for the operator's default. */
  public @Nullable TargetLabels getTargetLabels() {
    return targetLabels;
  }

  /** Sets the target labels. */
  public void setTargetLabels(@Nullable TargetLabels targetLabels) {
    this.targetLabels = targetLabels;
  }
}
