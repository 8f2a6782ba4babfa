package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A GKE GCPBackendPolicy ({@code networking.gke.io/v1}): timeout, logging and IAP of the load
 * balancer's backend service for its target (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * config/charts/inferencepool/templates/gke.yaml,
 * GoogleCloudPlatform/accelerated-platforms@9320f3b2
 * platforms/gke/base/use-cases/inference-ref-arch/examples/comfyui/README.md).
 */
@Group("networking.gke.io")
@Version("v1")
@Kind("GCPBackendPolicy")
public final class GcpBackendPolicy extends CustomObject<GcpBackendPolicy.Spec> {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "networking.gke.io/v1";

  /** The kind. */
  public static final String KIND = "GCPBackendPolicy";

  /** Creates an empty policy. */
  public GcpBackendPolicy() {
    super(API_VERSION, KIND);
  }

  /**
   * The policy's spec.
   *
   * @param targetRef the InferencePool or Service configured
   * @param defaults the settings (JSON name {@code default})
   */
  public record Spec(PolicyTargetRef targetRef, @JsonProperty("default") Settings defaults)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Backend-service settings.
   *
   * @param timeoutSec the request timeout in seconds
   * @param logging whether request logging is on; null to leave unset
   * @param iap Identity-Aware Proxy; null to leave unset
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Settings(
      @Nullable Integer timeoutSec, @Nullable Toggle logging, @Nullable Toggle iap)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * An on/off switch ({@code {enabled: true}}).
   *
   * @param enabled whether the feature is on
   */
  public record Toggle(boolean enabled) implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
