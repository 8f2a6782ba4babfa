package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.validate.BundleValidator;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.Set;

/** Checks every rendered bundle the same way: schema-valid objects and a reviewed golden file. */
public final class BundleAssertions {
  /**
   * RBAC kinds: {@code shared/schemas} holds no rbac.authorization.k8s.io document, so these are
   * the only kinds allowed to go unchecked.
   */
  private static final Set<String> NO_SCHEMA =
      Set.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");

  private BundleAssertions() {}

  /**
   * Asserts that every object with a known schema is valid and that only RBAC kinds lack one.
   *
   * @param set the bundle
   */
  public static void assertSchemaValid(RenderedSet set) {
    SchemaValidator validator = SchemaValidator.forTests();
    for (HasMetadata o : set.kubernetesObjects()) {
      if (validator.knows(o.getApiVersion(), o.getKind())) {
        validator.assertValid(o);
      } else {
        assertThat(NO_SCHEMA).as("kind without a schema").contains(o.getKind());
      }
    }
  }

  /**
   * Asserts schema validity, cross-resource consistency and that the YAML matches the golden file.
   *
   * @param set the bundle
   * @param golden the golden file's path under {@code src/test/resources/golden}
   */
  public static void assertBundle(RenderedSet set, String golden) {
    assertSchemaValid(set);
    assertThat(BundleValidator.validate(set)).as("cross-resource violations").isEmpty();
    GoldenFiles.assertMatches(golden, ManifestYaml.toYaml(set));
  }
}
