package io.github.gkeinference.serving.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model server's command-line arguments as they are rendered, remembering which flags the spec
 * modelled so that the rendered set's {@code WorkloadFacts} record them without parsing the
 * arguments back. Not thread-safe; one instance per render call.
 */
public final class ServerArgs {
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> modelled = new LinkedHashMap<>();

  /**
   * Adds a modelled flag as {@code flag=value} (vLLM's {@code --flag=value}, MaxText's {@code
   * key=value}).
   *
   * @param flag the flag or key
   * @param value its value
   * @return this
   */
  public ServerArgs flag(String flag, Object value) {
    args.add(flag + "=" + value);
    modelled.put(flag, String.valueOf(value));
    return this;
  }

  /**
   * Replaces the value of a modelled flag added before, in place; adds it when it is absent.
   *
   * @param flag the flag or key
   * @param value its new value
   * @return this
   */
  public ServerArgs replace(String flag, Object value) {
    int at = args.indexOf(flag + "=" + modelled.get(flag));
    if (!modelled.containsKey(flag) || at < 0) {
      return flag(flag, value);
    }
    args.set(at, flag + "=" + value);
    modelled.put(flag, String.valueOf(value));
    return this;
  }

  /**
   * Adds a modelled switch without a value.
   *
   * @param flag the flag
   * @return this
   */
  public ServerArgs toggle(String flag) {
    args.add(flag);
    modelled.put(flag, "");
    return this;
  }

  /**
   * Adds a modelled flag followed by its values as separate arguments (vLLM's {@code --lora-modules
   * a=/adapters/a b=/adapters/b}); the facts record the values joined by single spaces.
   *
   * @param flag the flag
   * @param values its values, in order
   * @return this
   */
  public ServerArgs list(String flag, List<String> values) {
    args.add(flag);
    args.addAll(values);
    modelled.put(flag, String.join(" ", values));
    return this;
  }

  /**
   * Adds arguments the spec passes through without modelling them.
   *
   * @param raw the arguments
   * @return this
   */
  public ServerArgs raw(List<String> raw) {
    args.addAll(raw);
    return this;
  }

  /**
   * Adds one argument the spec passes through without modelling it.
   *
   * @param raw the argument
   * @return this
   */
  public ServerArgs raw(String raw) {
    args.add(raw);
    return this;
  }

  /** Returns a copy of the arguments in order. */
  public List<String> args() {
    return new ArrayList<>(args);
  }

  /** Returns the modelled flags, flag to value, in the order they were added. */
  public Map<String, String> modelled() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(modelled));
  }
}
