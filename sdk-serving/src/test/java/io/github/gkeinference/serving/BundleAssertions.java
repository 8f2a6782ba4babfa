package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.emit.ForeignWorkloads;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
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
   * Asserts that the facts a spec attached describe its objects as the foreign-YAML parser reads
   * them, so that a manifest written to files validates, monitors and autoscales like the set.
   *
   * @param set the bundle
   */
  public static void assertFactsMatchObjects(RenderedSet set) {
    for (WorkloadFacts rendered : set.workloads()) {
      HasMetadata object =
          set.kubernetesObjects().stream()
              .filter(
                  o ->
                      o.getKind().equals(rendered.kind())
                          && o.getMetadata().getName().equals(rendered.name()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no object for the facts of " + rendered));
      WorkloadFacts parsed = ForeignWorkloads.of(object).orElseThrow();
      assertThat(parsed.apiVersion())
          .as("apiVersion of %s", rendered)
          .isEqualTo(rendered.apiVersion());
      assertThat(parsed.namespace())
          .as("namespace of %s", rendered)
          .isEqualTo(rendered.namespace());
      assertThat(parsed.podSelector())
          .as("podSelector of %s", rendered)
          .isEqualTo(rendered.podSelector());
      assertThat(parsed.podLabels())
          .as("podLabels of %s", rendered)
          .isEqualTo(rendered.podLabels());
      assertThat(parsed.ports())
          .as("ports of %s", rendered)
          .containsExactlyInAnyOrderElementsOf(rendered.ports());
      assertThat(parsed.devices()).as("devices of %s", rendered).isEqualTo(rendered.devices());
      assertThat(parsed.podsPerGroup())
          .as("podsPerGroup of %s", rendered)
          .isEqualTo(rendered.podsPerGroup());
      assertThat(parsed.server()).as("server of %s", rendered).isEqualTo(rendered.server());
      assertThat(parsed.tensorParallelism())
          .as("tp of %s", rendered)
          .isEqualTo(rendered.tensorParallelism());
      assertThat(parsed.pipelineParallelism().orElse(1))
          .as("pp of %s", rendered)
          .isEqualTo(rendered.pipelineParallelism().orElse(1));
      assertThat(parsed.dataParallelism().orElse(1))
          .as("dp of %s", rendered)
          .isEqualTo(rendered.dataParallelism().orElse(1));
      assertThat(parsed.maxModelLen())
          .as("maxModelLen of %s", rendered)
          .isEqualTo(rendered.maxModelLen());
      assertThat(parsed.metrics()).as("metrics of %s", rendered).isEqualTo(rendered.metrics());
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
    // a bundle rendered without an identity has no grants: its GCS FUSE volumes draw the
    // missing-grant warning, which BundleValidatorTest and VllmServerTest check where it matters
    assertThat(BundleValidator.validate(set))
        .as("cross-resource violations")
        .filteredOn(v -> v.isError() || !v.message().contains("has no read grant on this bucket"))
        .isEmpty();
    assertFactsMatchObjects(set);
    GoldenFiles.assertMatches(golden, ManifestYaml.toYaml(set));
  }
}
