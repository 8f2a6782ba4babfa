package io.github.gkeinference.serving.gateway.epp;

/**
 * What an endpoint-picker plugin does in a scheduling cycle
 * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * site-src/guides/epp-configuration/config-text.md).
 */
public enum PluginKind {
  /** Scores candidate endpoints; weighted in a scheduling profile. */
  SCORER,
  /** Removes candidate endpoints. */
  FILTER,
  /** Picks the endpoint(s) from the scored candidates; one per profile. */
  PICKER,
  /** Chooses which scheduling profiles run for a request. */
  PROFILE_HANDLER,
  /** Prepares request data a scorer reads (for example the tokenized prompt). */
  DATA_PRODUCER,
  /** A data-layer source (metrics scrape, endpoint notifications). */
  DATA_SOURCE,
  /** A data-layer extractor attached to a source. */
  DATA_EXTRACTOR,
  /** A flow-control fairness or ordering policy, referenced by priority bands. */
  FLOW_CONTROL_POLICY,
  /** Decides when the pool is saturated. */
  SATURATION_DETECTOR,
  /** Runs after scheduling, before the request is sent (for example sets routing headers). */
  PRE_REQUEST,
  /** Tells a disaggregation profile handler whether a request runs a stage remotely. */
  DECIDER,
  /**
   * The kind of a type the SDK does not know, given without its kind; {@link EndpointPickerConfig}
   * rejects it, since the kind decides how profiles and checks treat the plugin.
   */
  UNKNOWN
}
