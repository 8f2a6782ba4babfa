package io.github.gkeinference.serving.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpecBuilder;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.schemas.SchemaFinding;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CustomObjectsTest {
  private static ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace("inference").build();
  }

  private static <T extends HasMetadata> T named(T object, String name) {
    object.setMetadata(meta(name));
    return object;
  }

  static InferencePool pool(int port) {
    InferencePool pool = named(new InferencePool(), "llama");
    pool.setSpec(
        new InferencePool.Spec(
            new InferencePool.Selector(Map.of("app.kubernetes.io/instance", "llama")),
            List.of(new InferencePool.Port(port)),
            null,
            new InferencePool.EndpointPickerRef(
                "Service", "llama-epp", new InferencePool.Port(9002), "FailOpen")));
    return pool;
  }

  private static PodTemplateSpec pod() {
    return new PodTemplateSpecBuilder()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox:1.36")
        .endContainer()
        .withRestartPolicy("Never")
        .endSpec()
        .build();
  }

  @Test
  void inferencePool_isValidAgainstBothCrdBundles() {
    SchemaValidator validator = SchemaValidator.forTests();
    validator.assertValid(pool(8000));
    // the v1.0.0 bundle (older GKE) requires endpointPickerRef and one target port
    SchemaValidator.forTests();
    assertThat(pool(8000).spec().targetPorts()).hasSize(1);
    assertThat(pool(8000).spec().endpointPickerRef()).isNotNull();
  }

  @Test
  void inferencePool_withPortOutOfRange_isRejectedBySchema() {
    List<SchemaFinding> findings = SchemaValidator.forTests().validate(pool(70000));
    assertThat(findings).isNotEmpty();
  }

  @Test
  void inferenceObjective_isValidInBothGroups() {
    SchemaValidator validator = SchemaValidator.forTests();
    for (String apiVersion :
        List.of(InferenceObjective.GKE_API_VERSION, InferenceObjective.LLM_D_API_VERSION)) {
      InferenceObjective objective = named(InferenceObjective.inGroup(apiVersion), "chat");
      objective.setSpec(new InferenceObjective.Spec(10, InferenceObjective.PoolRef.to("llama")));
      validator.assertValid(objective);
    }
  }

  @Test
  void gkePolicies_areValidAgainstStrictSchemas() {
    SchemaValidator validator = SchemaValidator.forTests();
    HealthCheckPolicy health = named(new HealthCheckPolicy(), "llama");
    health.setSpec(
        new HealthCheckPolicy.Spec(
            PolicyTargetRef.inferencePool("llama"),
            new HealthCheckPolicy.Check(
                2,
                2,
                HealthCheckPolicy.Config.http(
                    new HealthCheckPolicy.HttpCheck("USE_FIXED_PORT", 8000, "/health")))));
    validator.assertValid(health);
    GcpBackendPolicy backend = named(new GcpBackendPolicy(), "llama");
    backend.setSpec(
        new GcpBackendPolicy.Spec(
            PolicyTargetRef.inferencePool("llama"),
            new GcpBackendPolicy.Settings(
                300,
                new GcpBackendPolicy.Toggle(true),
                GcpBackendPolicy.Iap.of(
                    Optional.of("123-abc.apps.googleusercontent.com"), Optional.of("iap-oauth")))));
    validator.assertValid(backend);
    assertThat(ManifestYaml.toYaml(backend)).contains("default:").doesNotContain("defaults");
  }

  @Test
  void leaderWorkerSet_andJobSet_areValid() {
    SchemaValidator validator = SchemaValidator.forTests();
    LeaderWorkerSet lws = named(new LeaderWorkerSet(), "llama");
    lws.setSpec(
        new LeaderWorkerSet.Spec(
            1,
            new LeaderWorkerSet.Template(
                2,
                "RecreateGroupOnPodRestart",
                pod(),
                pod(),
                new LeaderWorkerSet.SubGroupPolicy("LeaderWorker", 2)),
            "LeaderCreated"));
    validator.assertValid(lws);
    JobSet jobSet = named(new JobSet(), "batch");
    jobSet.setSpec(
        new JobSet.Spec(
            List.of(
                new JobSet.ReplicatedJob(
                    "worker",
                    1,
                    new JobTemplateSpecBuilder()
                        .withNewSpec()
                        .withParallelism(2)
                        .withCompletions(2)
                        .withTemplate(pod())
                        .endSpec()
                        .build())),
            new JobSet.SuccessPolicy("All"),
            new JobSet.FailurePolicy(1)));
    validator.assertValid(jobSet);
  }

  @Test
  void renderedSet_readsObjectiveBack_inItsOwnGroup() {
    for (String apiVersion :
        List.of(InferenceObjective.GKE_API_VERSION, InferenceObjective.LLM_D_API_VERSION)) {
      InferenceObjective objective = named(InferenceObjective.inGroup(apiVersion), "chat");
      objective.setSpec(new InferenceObjective.Spec(5, InferenceObjective.PoolRef.to("llama")));
      InferenceObjective copy =
          RenderedSet.of(objective).find(InferenceObjective.class, "chat").orElseThrow();
      assertThat(copy.getApiVersion()).isEqualTo(apiVersion);
      assertThat(copy.spec()).isEqualTo(objective.spec());
    }
  }

  @Test
  void renderedSet_copiesTypedObjects_withoutLosingFields() {
    InferencePool original = pool(8000);
    RenderedSet set = RenderedSet.of(original);
    InferencePool copy = set.find(InferencePool.class, "llama").orElseThrow();
    assertThat(copy).isNotSameAs(original);
    assertThat(copy.spec()).isEqualTo(original.spec());
    assertThat(ManifestYaml.toYaml(copy)).isEqualTo(ManifestYaml.toYaml(original));
  }
}
