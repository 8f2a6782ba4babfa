package io.github.gkeinference.serving.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.github.gkeinference.core.iam.BucketGrant;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.render.ManagedPrometheus;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.JobSet;
import io.github.gkeinference.serving.validate.BundleValidator;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchInferenceTest {
  /**
   * The reference architecture's offline batch case on H100
   * (GoogleCloudPlatform/accelerated-platforms@9320f3b2
   * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/offline-batch-inference-gpu),
   * with its flaw fixed: the seed requests 2 GPUs for tensor parallelism 4; here the server
   * requests 4 for TP 4.
   */
  static BatchInference h100Batch(boolean jobSet) {
    VllmServer server =
        VllmServer.builder()
            .name("obi-llama-3-3-70b")
            .namespace("inf-dev-offline-batch-gpu")
            .modelId("meta-llama/Llama-3.3-70B-Instruct")
            .source(
                GcsFuseSource.builder()
                    .location(GcsLocation.of("models", "meta-llama/llama-3.3-70b-instruct"))
                    .build())
            .placement(p -> p.accelerator("nvidia-h100-80gb").devices(4))
            .maxModelLen(32768)
            .build();
    return BatchInference.builder()
        .name("obi")
        .server(server)
        .workerImage("us-docker.pkg.dev/my-project/images/offline-batch-worker:1.0.0")
        .input("gs://my-project-dataset/alpaca-cleaned/")
        .output("gs://my-project-results/obi/")
        .shards(10)
        .parallelism(2)
        .retries(2)
        .jobSet(jobSet)
        .googleServiceAccount("obi-batch@my-project.iam.gserviceaccount.com")
        .build();
  }

  @Test
  void render_jobSet_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(h100Batch(true).render(), "batch/h100-llama-3-3-70b-jobset.yaml");
  }

  @Test
  void render_job_isSchemaValidAndConsistent() {
    BundleAssertions.assertBundle(h100Batch(false).render(), "batch/h100-llama-3-3-70b-job.yaml");
  }

  @Test
  void render_job_runsVllmAsSidecarWithGpusEqualToParallelism() {
    Job job = h100Batch(false).render().find(Job.class, "obi").orElseThrow();
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getCompletions()).isEqualTo(10);
    assertThat(job.getSpec().getParallelism()).isEqualTo(2);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container vllm = pod.getInitContainers().get(0);
    assertThat(vllm.getRestartPolicy()).isEqualTo("Always");
    assertThat(vllm.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("4"));
    assertThat(vllm.getArgs()).contains("--tensor-parallel-size=4");
    assertThat(pod.getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("http://localhost:8000"));
    assertThat(h100Batch(true).render().find(JobSet.class, "obi")).isPresent();
  }

  @Test
  void render_withGoogleServiceAccount_grantsReadOnModelAndInputAndCreateOnOutput() {
    RenderedSet set = h100Batch(false).render();
    String gsa = "serviceAccount:obi-batch@my-project.iam.gserviceaccount.com";
    assertThat(set.kubernetesObjects(IamPolicyMember.class))
        .extracting(
            m -> m.getMetadata().getName(),
            m -> m.spec().resourceRef().external(),
            m -> m.spec().role(),
            m -> m.spec().member())
        .containsExactly(
            tuple("obi-model-reader", "models", "roles/storage.objectViewer", gsa),
            tuple("obi-input-reader", "my-project-dataset", "roles/storage.objectViewer", gsa),
            tuple("obi-output-writer", "my-project-results", "roles/storage.objectCreator", gsa));
    // the pods' GCS FUSE volume (the model) is covered by a rendered grant
    assertThat(BundleValidator.validate(set))
        .noneMatch(v -> v.message().contains("has no read grant"));
  }

  @Test
  void bucketGrants_withWorkloadIdentityOnly_namesTheBatchAccountsPrincipal() {
    BatchInference batch = h100Batch(false);
    WorkloadIdentityPool pool = WorkloadIdentityPool.of("my-project", 123456789012L);
    BatchInference wi =
        batch.toBuilder()
            .googleServiceAccount(Optional.empty())
            .server(batch.server().toBuilder().workloadIdentity(pool).build())
            .build();
    String principal = pool.principal("inf-dev-offline-batch-gpu", "obi");
    assertThat(wi.bucketGrants())
        .extracting(BucketGrant::member)
        .hasSize(3)
        .containsOnly(principal);
    // the batch's account, not the server's: the server's pods never run here
    assertThat(BundleValidator.validate(wi.render()))
        .noneMatch(v -> v.message().contains("has no read grant"));
  }

  @Test
  void bucketGrants_withoutIdentity_isEmpty() {
    BatchInference batch =
        h100Batch(false).toBuilder().googleServiceAccount(Optional.empty()).build();
    assertThat(batch.bucketGrants()).isEmpty();
    assertThat(batch.render().kubernetesObjects(IamPolicyMember.class)).isEmpty();
  }

  @Test
  void bucketGrants_outputOverwrite_grantsObjectUserOnOutput() {
    BatchInference batch = h100Batch(false).toBuilder().outputOverwrite(true).build();
    assertThat(batch.bucketGrants())
        .filteredOn(g -> g.bucket().equals("my-project-results"))
        .extracting(BucketGrant::role)
        .containsExactly(BucketGrant.OBJECT_USER);
  }

  @Test
  void bucketGrants_inputInModelBucket_grantsReadOnce() {
    BatchInference batch = h100Batch(false).toBuilder().input("gs://models/prompts/").build();
    assertThat(batch.render().kubernetesObjects(IamPolicyMember.class))
        .extracting(m -> m.getMetadata().getName())
        .containsExactly("obi-input-reader", "obi-output-writer");
  }

  @Test
  void render_networkPolicy_admitsOnlyTheCollectorOnTheMetricsPort() {
    RenderedSet set = h100Batch(false).render();
    NetworkPolicy policy = set.find(NetworkPolicy.class, "obi").orElseThrow();
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getFrom()).containsExactly(ManagedPrometheus.collectorPeer());
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8000));
            });
    // the port the policy opens is the one the workload facts give a scraper, named on the sidecar
    WorkloadFacts.MetricsEndpoint metrics = set.workload().metrics().orElseThrow();
    assertThat(metrics.port()).isEqualTo(8000);
    Container vllm =
        set.find(Job.class, "obi")
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getInitContainers()
            .get(0);
    assertThat(vllm.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(metrics.port());
              assertThat(p.getName()).isEqualTo(metrics.portName());
            });
  }

  @Test
  void build_shortGoogleServiceAccountId_isRejected() {
    // an account id has 6 to 30 characters: "obi" cannot exist, so no grant could name it
    assertThatThrownBy(
            () ->
                h100Batch(false).toBuilder()
                    .googleServiceAccount("obi@my-project.iam.gserviceaccount.com")
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("googleServiceAccount"));
  }

  @Test
  void build_parallelismAboveShards_isRejected() {
    assertThatThrownBy(() -> h100Batch(false).toBuilder().parallelism(11).input("s3://x").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactlyInAnyOrder("parallelism", "input"));
  }
}
