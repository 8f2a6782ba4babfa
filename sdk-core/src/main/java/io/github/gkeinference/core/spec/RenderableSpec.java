package io.github.gkeinference.core.spec;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Violations;

/**
 * The one contract of every spec that renders resources: a server, a gateway, a ComputeClass, a
 * node pool, an autoscaler, a cluster.
 *
 * <p>A spec's {@code build()} already rejects what is wrong with its own fields ({@code
 * SdkValidationException}); {@link #validate(Violations)} adds what only a finished spec can tell
 * (for example a machine shape that the catalog advises against), and {@link #render()} returns the
 * resources. Spec files ({@link SpecFiles}) and the CLI reach every kind through this interface, so
 * they call no method by reflection.
 *
 * {@snippet :
 * RenderableSpec spec = SpecFiles.standard().read(text).get(0);
 * Violations v = Violations.root();
 * spec.validate(v);
 * RenderedSet resources = spec.render();
 * }
 */
public interface RenderableSpec {
  /**
   * Returns the name of this spec's kind in spec files, its Java type's simple name (for example
   * {@code VllmServer}).
   *
   * @return the kind name
   */
  String kind();

  /**
   * Adds the findings about this spec that {@code build()} does not reject: warnings, and rules
   * that need the whole spec. The default adds none.
   *
   * @param violations where the findings go, at this spec's path
   */
  default void validate(Violations violations) {}

  /**
   * Renders this spec's resources: fresh objects on every call.
   *
   * @return the rendered resources
   */
  RenderedSet render();
}
