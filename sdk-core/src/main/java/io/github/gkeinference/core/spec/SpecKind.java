package io.github.gkeinference.core.spec;

import io.github.gkeinference.core.render.RenderedSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One kind of document a spec file may hold: its name ({@code kind: VllmServer}) and the spec type
 * its {@code spec} fields are bound to ({@link SpecBinder}).
 *
 * <p>A field may name a workload that an earlier document of the same file renders, instead of
 * holding a value: an autoscaler's {@code target: vllm} is the rendered set of the earlier document
 * whose Deployment or LeaderWorkerSet is called {@code vllm} ({@link #withReference(String,
 * Function)}).
 *
 * @param <T> the spec type
 */
public final class SpecKind<T extends RenderableSpec> {
  private final String name;
  private final Class<T> type;
  private final Map<String, Function<RenderedSet, ?>> references;

  private SpecKind(String name, Class<T> type, Map<String, Function<RenderedSet, ?>> references) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.references = Map.copyOf(references);
  }

  /**
   * Returns a kind whose spec is bound with Jackson: the spec type's attributes are the file's
   * fields.
   *
   * @param name the kind's name in files, by convention the type's simple name
   * @param type the spec type, annotated {@code @JsonDeserialize(as = ImmutableX.class)}
   * @param <T> the spec type
   * @return the kind
   */
  public static <T extends RenderableSpec> SpecKind<T> of(String name, Class<T> type) {
    return new SpecKind<>(name, type, Map.of());
  }

  /**
   * Returns a copy of this kind in which {@code field} names a workload rendered by an earlier
   * document, and {@code value} makes the spec attribute's value from that document's rendered set.
   *
   * @param field the field in the file, for example {@code target}
   * @param value makes the attribute's value, for example {@code ScaleTarget::in}
   * @return the new kind
   */
  public SpecKind<T> withReference(String field, Function<RenderedSet, ?> value) {
    Map<String, Function<RenderedSet, ?>> all = new LinkedHashMap<>(references);
    all.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(value, "value"));
    return new SpecKind<>(name, type, all);
  }

  /** Returns the kind's name in files. */
  public String name() {
    return name;
  }

  /** Returns the spec type. */
  public Class<T> type() {
    return type;
  }

  /** Returns the fields that name an earlier document's workload, with how each makes its value. */
  Map<String, Function<RenderedSet, ?>> references() {
    return references;
  }

  @Override
  public String toString() {
    return name;
  }
}
