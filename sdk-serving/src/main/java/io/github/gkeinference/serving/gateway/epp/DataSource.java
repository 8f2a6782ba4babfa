package io.github.gkeinference.serving.gateway.epp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One data-layer source of the picker with the extractors fed from it
 * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * apix/config/v1alpha1/endpointpickerconfig_types.go, {@code dataLayer.sources}).
 *
 * @param pluginRef the source plugin instance's name
 * @param extractors the extractor plugin instances' names
 */
public record DataSource(String pluginRef, List<String> extractors) {
  /** Checks for null and copies the list. */
  public DataSource {
    Objects.requireNonNull(pluginRef, "pluginRef");
    extractors = List.copyOf(extractors);
  }

  /**
   * Returns a source with its extractors.
   *
   * @param pluginRef the source's name
   * @param extractors the extractors' names
   * @return the source
   */
  public static DataSource of(String pluginRef, String... extractors) {
    return new DataSource(pluginRef, Arrays.asList(extractors));
  }
}
