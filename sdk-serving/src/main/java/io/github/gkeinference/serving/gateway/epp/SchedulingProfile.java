package io.github.gkeinference.serving.gateway.epp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A scheduling profile: the filters, scorers (with weights) and picker that run for a request the
 * profile handler sends to it (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * site-src/guides/epp-configuration/config-text.md, "Scheduling Profiles").
 *
 * @param name the profile's name
 * @param plugins the plugin instances it runs, by name
 */
public record SchedulingProfile(String name, List<Entry> plugins) {
  /** Checks for null and copies the list. */
  public SchedulingProfile {
    Objects.requireNonNull(name, "name");
    plugins = List.copyOf(plugins);
  }

  /**
   * Returns a profile.
   *
   * @param name the profile's name
   * @param plugins its entries
   * @return the profile
   */
  public static SchedulingProfile of(String name, Entry... plugins) {
    return new SchedulingProfile(name, Arrays.asList(plugins));
  }

  /**
   * One plugin reference of a profile.
   *
   * @param pluginRef the plugin instance's name
   * @param weight the weight of a scorer (upstream's default is 1); written only for scorers
   */
  public record Entry(String pluginRef, double weight) {
    /** Checks for null. */
    public Entry {
      Objects.requireNonNull(pluginRef, "pluginRef");
    }

    /**
     * Returns a reference with upstream's default weight, 1.
     *
     * @param pluginRef the plugin instance's name
     * @return the entry
     */
    public static Entry of(String pluginRef) {
      return new Entry(pluginRef, 1);
    }

    /**
     * Returns a weighted scorer reference.
     *
     * @param pluginRef the scorer instance's name
     * @param weight its weight
     * @return the entry
     */
    public static Entry weighted(String pluginRef, double weight) {
      return new Entry(pluginRef, weight);
    }
  }
}
