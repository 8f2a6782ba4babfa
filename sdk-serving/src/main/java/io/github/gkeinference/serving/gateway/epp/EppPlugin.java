package io.github.gkeinference.serving.gateway.epp;

import io.github.gkeinference.core.spec.SdkStyle;
import java.util.Map;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One plugin instance of an endpoint picker: its registered type, its name (which profiles
 * reference), what it does, and its parameters.
 *
 * <p>Parameter values are strings, numbers, booleans, and nested maps or lists of those; they are
 * written to the picker's file as given, in insertion order. A spec file writes a plugin as the
 * picker's own file does, {@code {type: max-score-picker, parameters: {maxNumOfEndpoints: 2}}}: the
 * name defaults to the type, and the kind to that of the {@link KnownPlugin} of the type; a type
 * the SDK does not know needs its {@code kind}. {@link EndpointPickerConfig} checks the type, kind
 * and the parameters of the plugins whose parameters upstream defines.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableEppPlugin.class)
public interface EppPlugin {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a known plugin without parameters, named after its type.
   *
   * @param plugin the plugin type
   * @return the plugin
   */
  static EppPlugin of(KnownPlugin plugin) {
    return of(plugin, Map.of());
  }

  /**
   * Returns a known plugin with parameters, named after its type.
   *
   * @param plugin the plugin type
   * @param parameters its parameters
   * @return the plugin
   */
  static EppPlugin of(KnownPlugin plugin, Map<String, ?> parameters) {
    return builder().type(plugin.type()).kind(plugin.kind()).parameters(parameters).build();
  }

  /**
   * Returns a plugin of a type the SDK does not list in {@link KnownPlugin}.
   *
   * @param type the registered type
   * @param kind what it does
   * @param parameters its parameters
   * @return the plugin, named after its type
   */
  static EppPlugin custom(String type, PluginKind kind, Map<String, ?> parameters) {
    return builder().type(type).kind(kind).parameters(parameters).build();
  }

  /** The registered type, for example {@code queue-scorer}. */
  String type();

  /** The instance name; default the type, as upstream defaults it. */
  @Value.Default
  default String name() {
    return type();
  }

  /**
   * What the plugin does; default that of the {@link KnownPlugin} of {@link #type()}, else {@link
   * PluginKind#UNKNOWN}, which {@link EndpointPickerConfig} rejects.
   */
  @Value.Default
  default PluginKind kind() {
    return KnownPlugin.of(type()).map(KnownPlugin::kind).orElse(PluginKind.UNKNOWN);
  }

  /** The plugin's parameters. */
  Map<String, Object> parameters();

  /**
   * Returns this plugin under another instance name, so that one type can be used twice.
   *
   * @param instanceName the name profiles reference
   * @return the renamed plugin
   */
  default EppPlugin named(String instanceName) {
    return builder().from(this).name(instanceName).build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableEppPlugin.Builder {}
}
