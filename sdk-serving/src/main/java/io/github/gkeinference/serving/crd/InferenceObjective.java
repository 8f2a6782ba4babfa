package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * An InferenceObjective: the priority of the requests that name it, for one InferencePool.
 *
 * <p>Two API groups serve the same shape (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * config/charts/epplib/templates/_deployment.yaml): {@link #GKE_API_VERSION}, which GKE documents
 * and GIE served until v1.5.0, and {@link #LLM_D_API_VERSION}, where the endpoint picker moved in
 * June 2026. Neither is installed by GKE; the user applies the CRD.
 */
@Group("inference.networking.x-k8s.io")
@Version("v1alpha2")
@Kind("InferenceObjective")
public class InferenceObjective extends CustomObject<InferenceObjective.Spec> {
  private static final long serialVersionUID = 1L;

  /** {@code inference.networking.x-k8s.io/v1alpha2}: the group GKE's documentation uses. */
  public static final String GKE_API_VERSION = "inference.networking.x-k8s.io/v1alpha2";

  /** {@code llm-d.ai/v1alpha2}: the successor group served by llm-d-router v0.10.0. */
  public static final String LLM_D_API_VERSION = "llm-d.ai/v1alpha2";

  /** The kind. */
  public static final String KIND = "InferenceObjective";

  /** Creates an empty objective in the group GKE documents. */
  public InferenceObjective() {
    super(GKE_API_VERSION, KIND);
  }

  /**
   * Returns an empty objective in the given group.
   *
   * @param apiVersion {@link #GKE_API_VERSION} or {@link #LLM_D_API_VERSION}
   * @return the objective
   * @throws IllegalArgumentException for any other apiVersion
   */
  public static InferenceObjective inGroup(String apiVersion) {
    if (GKE_API_VERSION.equals(apiVersion)) {
      return new InferenceObjective();
    }
    if (LLM_D_API_VERSION.equals(apiVersion)) {
      return new LlmD();
    }
    throw new IllegalArgumentException(
        "apiVersion must be " + GKE_API_VERSION + " or " + LLM_D_API_VERSION + ": " + apiVersion);
  }

  @Override
  public void setApiVersion(String apiVersion) {
    String own = this instanceof LlmD ? LLM_D_API_VERSION : GKE_API_VERSION;
    if (!own.equals(apiVersion)) {
      throw new IllegalArgumentException(
          "this objective's apiVersion is " + own + "; use inGroup(" + apiVersion + ")");
    }
    super.setApiVersion(apiVersion);
  }

  /** An InferenceObjective in the {@code llm-d.ai/v1alpha2} group; read back as its own type. */
  @Group("llm-d.ai")
  @Version("v1alpha2")
  @Kind("InferenceObjective")
  public static final class LlmD extends InferenceObjective {
    private static final long serialVersionUID = 1L;

    /** Creates an empty objective in the llm-d group. */
    public LlmD() {
      super(LLM_D_API_VERSION);
    }
  }

  private InferenceObjective(String apiVersion) {
    super(apiVersion, KIND);
  }

  /**
   * The objective's spec.
   *
   * @param priority higher is more important; null for the picker's default
   * @param poolRef the pool whose requests this applies to
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(@Nullable Integer priority, PoolRef poolRef) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * A reference to an InferencePool in the same namespace.
   *
   * @param group the pool's API group
   * @param kind {@code InferencePool}
   * @param name the pool's name
   */
  public record PoolRef(String group, String kind, String name) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Returns a reference to a v1 InferencePool.
     *
     * @param name the pool's name
     * @return the reference
     */
    public static PoolRef to(String name) {
      return new PoolRef(InferencePool.GROUP, InferencePool.KIND, name);
    }
  }
}
