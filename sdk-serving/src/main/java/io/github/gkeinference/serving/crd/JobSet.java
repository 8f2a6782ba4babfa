package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A JobSet ({@code jobset.x-k8s.io/v1alpha2}, kubernetes-sigs/jobset v0.12.0): several Jobs run and
 * retried as one unit, used for batch inference (GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/kubernetes-manifests/offline-batch-inference-gpu).
 *
 * <p>The spec holds fabric8 job templates, which are mutable: treat a rendered object as read-only.
 */
@Group("jobset.x-k8s.io")
@Version("v1alpha2")
@Kind("JobSet")
public final class JobSet extends CustomObject<JobSet.Spec> {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "jobset.x-k8s.io/v1alpha2";

  /** The kind. */
  public static final String KIND = "JobSet";

  /** Creates an empty JobSet. */
  public JobSet() {
    super(API_VERSION, KIND);
  }

  /**
   * The JobSet's spec.
   *
   * @param replicatedJobs the jobs
   * @param successPolicy when the set has succeeded; null for all jobs
   * @param failurePolicy how often the whole set restarts; null for never
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      List<ReplicatedJob> replicatedJobs,
      @Nullable SuccessPolicy successPolicy,
      @Nullable FailurePolicy failurePolicy)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public Spec {
      replicatedJobs = List.copyOf(replicatedJobs);
    }
  }

  /**
   * One job template, run {@code replicas} times.
   *
   * @param name the name
   * @param replicas the copies of the job
   * @param template the job template
   */
  public record ReplicatedJob(String name, int replicas, JobTemplateSpec template)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * When the set succeeds.
   *
   * @param operator {@code All} or {@code Any}
   */
  public record SuccessPolicy(String operator) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * How often the whole set is restarted after a job fails.
   *
   * @param maxRestarts the restart budget
   */
  public record FailurePolicy(int maxRestarts) implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
