package io.github.gkeinference.serving.gateway.epp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One plugin instance of an endpoint picker: its name (which profiles reference), its registered
 * type, what it does, and its parameters.
 *
 * <p>Parameter values are strings, numbers, booleans, and nested maps or lists of those; they are
 * written to the picker's file as given, in insertion order. Spec files can give plugins without
 * parameters only (every field, {@code parameters: {}}); parameters are set in Java.
 *
 * @param name the instance name; upstream defaults it to the type
 * @param type the registered type, for example {@code queue-scorer}
 * @param kind what the plugin does
 * @param parameters the plugin's parameters
 */
public record EppPlugin(String name, String type, PluginKind kind, Map<String, Object> parameters) {
  /** Checks for null and copies the parameters. */
  public EppPlugin {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /**
   * Returns a known plugin without parameters, named after its type.
   *
   * @param plugin the plugin type
   * @return the plugin
   */
  public static EppPlugin of(KnownPlugin plugin) {
    return of(plugin, Map.of());
  }

  /**
   * Returns a known plugin with parameters, named after its type.
   *
   * @param plugin the plugin type
   * @param parameters its parameters
   * @return the plugin
   */
  public static EppPlugin of(KnownPlugin plugin, Map<String, Object> parameters) {
    return new EppPlugin(plugin.type(), plugin.type(), plugin.kind(), parameters);
  }

  /**
   * Returns a plugin of a type the SDK does not list in {@link KnownPlugin}.
   *
   * @param type the registered type
   * @param kind what it does
   * @param parameters its parameters
   * @return the plugin, named after its type
   */
  public static EppPlugin custom(String type, PluginKind kind, Map<String, Object> parameters) {
    return new EppPlugin(type, type, kind, parameters);
  }

  /**
   * Returns this plugin under another instance name, so that one type can be used twice.
   *
   * @param instanceName the name profiles reference
   * @return the renamed plugin
   */
  public EppPlugin named(String instanceName) {
    return new EppPlugin(instanceName, type, kind, parameters);
  }
}
