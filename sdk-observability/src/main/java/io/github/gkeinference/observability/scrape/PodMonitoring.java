package io.github.gkeinference.observability.scrape;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;

/**
 * A Managed Prometheus {@code PodMonitoring} ({@code monitoring.googleapis.com/v1}): scrapes the
 * pods of its own namespace that its selector matches.
 *
 * <p>fabric8 has no model for this kind; this class carries the fields the SDK renders and is
 * checked against the upstream CRD schema (GoogleCloudPlatform/prometheus-engine v0.17.2) in tests.
 */
@Group(PodMonitoring.GROUP)
@Version(PodMonitoring.VERSION)
@Kind("PodMonitoring")
public class PodMonitoring extends CustomObject<PodMonitoringSpec> implements Namespaced {
  private static final long serialVersionUID = 1L;

  /** The API group of Managed Prometheus resources. */
  public static final String GROUP = "monitoring.googleapis.com";

  /** The API version rendered. */
  public static final String VERSION = "v1";

  /** Creates an empty resource; set metadata and spec before rendering. */
  public PodMonitoring() {
    super(PodMonitoring.GROUP + "/" + PodMonitoring.VERSION, "PodMonitoring");
  }
}
