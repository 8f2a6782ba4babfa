package io.github.gkeinference.core.spec;

import java.util.List;

/**
 * Contributes a module's spec kinds to {@link SpecFiles#standard()}; each SDK module that has
 * renderable specs lists its provider in {@code
 * META-INF/services/io.github.gkeinference.core.spec.SpecKindProvider}, so that {@code sdk-core}
 * reads their files without depending on them.
 */
public interface SpecKindProvider {
  /**
   * Returns the module's kinds.
   *
   * @return the kinds
   */
  List<SpecKind<?>> kinds();
}
