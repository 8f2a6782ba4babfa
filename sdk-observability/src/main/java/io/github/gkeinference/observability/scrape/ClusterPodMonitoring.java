package io.github.gkeinference.observability.scrape;

import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;

/**
 * A Managed Prometheus {@code ClusterPodMonitoring} ({@code monitoring.googleapis.com/v1}):
 * cluster-scoped, scrapes matching pods in every namespace; used for node-level exporters such as
 * the DCGM exporter.
 */
@Group(PodMonitoring.GROUP)
@Version(PodMonitoring.VERSION)
@Kind("ClusterPodMonitoring")
public class ClusterPodMonitoring extends CustomObject<PodMonitoringSpec> {
  private static final long serialVersionUID = 1L;

  /** Creates an empty resource; set metadata and spec before rendering. */
  public ClusterPodMonitoring() {
    super(PodMonitoring.GROUP + "/" + PodMonitoring.VERSION, "ClusterPodMonitoring");
  }
}
