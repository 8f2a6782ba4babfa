package io.github.gkeinference.serving.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.BundleAssertions;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.JobSet;
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
        .googleServiceAccount("obi@my-project.iam.gserviceaccount.com")
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
