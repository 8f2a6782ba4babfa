package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.Transform;
import io.github.gkeinference.core.render.Transforms;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.samples.MultiHost;
import io.github.gkeinference.samples.SampleOptions;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.validate.BundleValidator;
import io.github.gkeinference.testing.SchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An embedding tool loads a spec file through the library, applies transforms and renders. */
class SpecFileTransformTest {
  private static final Path SPEC = Path.of("specs/online-inference-gpu.yaml");

  private static final Transform PLATFORM =
      Transforms.labels(Map.of("team", "ml"))
          .andThen(
              Transforms.tolerations(
                  List.of(
                      new TolerationBuilder()
                          .withKey("dedicated")
                          .withOperator("Equal")
                          .withValue("inference")
                          .withEffect("NoSchedule")
                          .build())));

  private static PodSpec pod(RenderedSet set) {
    return set.find(Deployment.class, "vllm").orElseThrow().getSpec().getTemplate().getSpec();
  }

  @Test
  void render_specFileWithTwoTransforms_labelsEveryObjectAndToleratesTheTaint() throws IOException {
    RenderedSet set = SpecFiles.standard().render(Files.readString(SPEC), PLATFORM);

    for (HasMetadata o : set.kubernetesObjects()) {
      assertThat(o.getMetadata().getLabels()).as(o.getKind()).containsEntry("team", "ml");
    }
    assertThat(pod(set).getTolerations())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(BundleValidator.validate(set)).isEmpty();
    SchemaValidator schemas = SchemaValidator.forTests();
    for (HasMetadata o : set.kubernetesObjects()) {
      if (schemas.knows(o.getApiVersion(), o.getKind())) {
        schemas.assertValid(o);
      }
    }
  }

  @Test
  void render_transformThatBreaksARule_isReportedByValidationWithItsPath() throws IOException {
    Transform proxy =
        Transform.each(
            Deployment.class,
            d ->
                d.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .forEach(c -> c.getEnv().add(new EnvVar("HTTPS_PROXY", "${PROXY}", null))));

    RenderedSet set = SpecFiles.standard().render(Files.readString(SPEC), PLATFORM.andThen(proxy));

    assertThat(BundleValidator.validate(set))
        .filteredOn(Violation::isError)
        .singleElement()
        .satisfies(
            v -> assertThat(v.path()).startsWith("Deployment/inference/vllm.").endsWith(".value"));
  }

  @Test
  void labels_onALeaderWorkerSet_keepItTypedAndLabelBothPodTemplates() {
    RenderedSet set =
        Transforms.labels(Map.of("team", "ml")).apply(MultiHost.render(SampleOptions.defaults()));

    List<LeaderWorkerSet> sets = set.kubernetesObjects(LeaderWorkerSet.class);
    assertThat(sets).isNotEmpty();
    LeaderWorkerSet.Template t = sets.get(0).getSpec().leaderWorkerTemplate();
    assertThat(t.leaderTemplate().getMetadata().getLabels()).containsEntry("team", "ml");
    assertThat(t.workerTemplate().getMetadata().getLabels()).containsEntry("team", "ml");
  }
}
