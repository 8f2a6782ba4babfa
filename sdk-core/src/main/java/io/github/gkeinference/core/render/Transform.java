package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A change a platform makes to every rendered set before it is validated and emitted: common
 * labels, an image registry mirror, pull secrets, tolerations ({@link Transforms} has these ready).
 *
 * {@snippet :
 * Transform platform =
 *     Transforms.labels(Map.of("team", "ml"))
 *         .andThen(Transforms.imagePullSecrets("registry-credentials"));
 * RenderedSet set = platform.apply(server.render());
 * List<Violation> problems = BundleValidator.validate(set); // a transform's mistake shows here
 * }
 *
 * <p>A transform returns a new set and leaves its argument unchanged: the objects it receives are
 * copies. Run transforms before validation, so that a transform that breaks a rule (a label value
 * that is not a label, an environment value with {@code ${...}}) is reported like any other
 * violation.
 */
@FunctionalInterface
public interface Transform {
  /**
   * Returns the transformed set.
   *
   * @param set the rendered set; not changed
   * @return the new set
   */
  RenderedSet apply(RenderedSet set);

  /**
   * Returns a transform that applies this one, then {@code next}.
   *
   * @param next the transform to apply second
   * @return the combined transform
   */
  default Transform andThen(Transform next) {
    Objects.requireNonNull(next, "next");
    return set -> next.apply(apply(set));
  }

  /**
   * Returns a transform that edits every Kubernetes object of one type (a copy of it, in place) and
   * keeps every other resource as it is, in the same apply order.
   *
   * {@snippet :
   * Transform replicas = Transform.each(Deployment.class, d -> d.getSpec().setReplicas(2));
   * }
   *
   * @param type the objects' class, for example {@code Deployment.class}
   * @param edit changes one object
   * @param <T> the objects' type
   * @return the transform
   */
  static <T extends HasMetadata> Transform each(Class<T> type, Consumer<? super T> edit) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(edit, "edit");
    return set -> {
      RenderedSet.Builder out = RenderedSet.builder();
      // a transform edits objects, not which workloads they are: their typed facts go along
      set.workloads().forEach(out::addWorkload);
      for (RenderedResource r : set) {
        if (r instanceof KubernetesResource k && k.is(type)) {
          T copy = k.object(type);
          edit.accept(copy);
          out.add(KubernetesResource.of(copy, k.applyRank()));
        } else {
          out.add(r);
        }
      }
      return out.build();
    };
  }
}
