package io.github.gkeinference.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadFactsTest {

  private static WorkloadFacts facts(String name) {
    return WorkloadFacts.builder()
        .apiVersion("apps/v1")
        .kind("Deployment")
        .name(name)
        .namespace("ns")
        .podSelector(Map.of("app", name))
        .addPort(WorkloadFacts.HTTP, 8000)
        .devices("nvidia.com/gpu", 2)
        .server("vllm")
        .tensorParallelism(2)
        .maxModelLen(8192)
        .metrics(8000, WorkloadFacts.HTTP, "/metrics")
        .putFlag("--max-model-len", "8192")
        .build();
  }

  private static RenderedSet server(String name) {
    return RenderedSet.builder()
        .add(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("ns")
                .endMetadata()
                .build())
        .addWorkload(facts(name))
        .build();
  }

  @Test
  void plus_keepsTheFactsOfBothSets() {
    RenderedSet both = server("a").plus(server("b")).plus(RenderedSet.empty());
    assertThat(both.workloads()).extracting(WorkloadFacts::name).containsExactly("a", "b");
    assertThat(both.workload("b")).isEqualTo(facts("b"));
  }

  @Test
  void workload_withNoneOrTwo_isRejected_andNamedLookupFindsOne() {
    assertThatThrownBy(() -> RenderedSet.empty().workload())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("no workload facts");
    RenderedSet both = server("a").plus(server("b"));
    assertThatThrownBy(both::workload).isInstanceOf(SdkValidationException.class);
    assertThatThrownBy(() -> both.workload("c"))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("workloads.name");
    assertThat(server("a").workload().tensorParallelism()).hasValue(2);
  }

  @Test
  void build_sameWorkloadDescribedTwice_isRejected() {
    assertThatThrownBy(
            () -> RenderedSet.builder().addWorkload(facts("a")).addWorkload(facts("a")).build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("resources.workloads[1]");
  }

  @Test
  void lookups_findPortsByRoleAndNumber() {
    WorkloadFacts f = facts("a");
    assertThat(f.port(WorkloadFacts.HTTP)).map(WorkloadFacts.Port::number).hasValue(8000);
    assertThat(f.port(8000)).map(WorkloadFacts.Port::role).hasValue("http");
    assertThat(f.port(9100)).isEmpty();
    assertThat(f.pipelineParallelism()).isEmpty();
    assertThat(f.flags()).containsEntry("--max-model-len", "8192");
    assertThat(f.toBuilder().build()).isEqualTo(f);
  }

  @Test
  void transforms_keepTheFacts() {
    RenderedSet before = server("a");

    RenderedSet after =
        Transforms.labels(Map.of("team", "ml"))
            .andThen(
                Transform.each(
                    io.fabric8.kubernetes.api.model.apps.Deployment.class,
                    d -> d.getMetadata().setNamespace("ns")))
            .apply(before);

    assertThat(after.workloads()).containsExactly(facts("a"));
  }
}
