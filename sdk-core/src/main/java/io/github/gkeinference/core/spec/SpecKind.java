package io.github.gkeinference.core.spec;

import io.github.gkeinference.core.render.RenderedSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One kind of document a spec file may hold: its name ({@code kind: VllmServer}) and the spec type
 * whose builder its {@code spec} fields are bound to.
 *
 * <p>A field may name a workload that an earlier document of the same file renders, instead of
 * holding a value: an autoscaler's {@code target: vllm} is the rendered set of the earlier document
 * whose Deployment or LeaderWorkerSet is called {@code vllm} ({@link #withReference(String,
 * BiConsumer)}).
 *
 * @param <T> the spec type
 */
public final class SpecKind<T extends RenderableSpec> {
  private final String name;
  private final Class<T> type;
  private final Map<String, BiConsumer<Object, RenderedSet>> references;

  private SpecKind(
      String name, Class<T> type, Map<String, BiConsumer<Object, RenderedSet>> references) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.references = Map.copyOf(references);
  }

  /**
   * Returns a kind whose spec is bound to the type's builder: the spec type's attributes are the
   * file's fields.
   *
   * @param name the kind's name in files, by convention the type's simple name
   * @param type the spec type; it has a public static {@code builder()}
   * @param <T> the spec type
   * @return the kind
   */
  public static <T extends RenderableSpec> SpecKind<T> of(String name, Class<T> type) {
    return new SpecKind<>(name, type, Map.of());
  }

  /**
   * Returns a copy of this kind in which {@code field} names a workload rendered by an earlier
   * document, and {@code setter} passes that document's rendered set to the builder.
   *
   * @param field the field in the file, for example {@code target}
   * @param setter sets the rendered workload on the spec's builder
   * @param <B> the spec's builder type
   * @return the new kind
   */
  public <B> SpecKind<T> withReference(String field, BiConsumer<B, RenderedSet> setter) {
    Map<String, BiConsumer<Object, RenderedSet>> all = new LinkedHashMap<>(references);
    all.put(field, cast(setter));
    return new SpecKind<>(name, type, all);
  }

  @SuppressWarnings("unchecked")
  private static <B> BiConsumer<Object, RenderedSet> cast(BiConsumer<B, RenderedSet> setter) {
    return (builder, set) -> setter.accept((B) builder, set);
  }

  /** Returns the kind's name in files. */
  public String name() {
    return name;
  }

  /** Returns the spec type. */
  public Class<T> type() {
    return type;
  }

  /** Returns the fields that name an earlier document's workload, with their builder setters. */
  Map<String, BiConsumer<Object, RenderedSet>> references() {
    return references;
  }

  @Override
  public String toString() {
    return name;
  }
}
