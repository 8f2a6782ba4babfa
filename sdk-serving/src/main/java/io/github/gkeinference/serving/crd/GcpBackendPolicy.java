package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import java.util.Optional;
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
  public record Settings(@Nullable Integer timeoutSec, @Nullable Toggle logging, @Nullable Iap iap)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Identity-Aware Proxy on the backend service, the one place the SDK renders it (ComfyUI, the
   * inference gateways): on, with Google's managed OAuth client or a custom one whose secret is a
   * Secret reference (GKE "Configure Identity-Aware Proxy",
   * https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_iap;
   * the CRD's {@code iap} fields, GKE {@code networking.gke.io/v1} GCPBackendPolicy).
   *
   * @param enabled whether IAP is on
   * @param clientId the custom OAuth client's id (JSON {@code clientID}); null for Google's managed
   *     client
   * @param oauth2ClientSecret the Secret holding the custom client's secret under the key {@code
   *     key}; null for Google's managed client
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Iap(
      boolean enabled,
      @JsonProperty("clientID") @Nullable String clientId,
      @Nullable SecretRef oauth2ClientSecret)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Returns IAP turned on, with a custom OAuth client when both are given, else Google's managed
     * client.
     *
     * @param clientId the custom client's id
     * @param secretName the Secret holding its secret
     * @return the block
     */
    public static Iap of(Optional<String> clientId, Optional<String> secretName) {
      return clientId.isPresent() && secretName.isPresent()
          ? new Iap(true, clientId.get(), new SecretRef(secretName.get()))
          : googleManaged();
    }

    /**
     * Returns IAP turned on with Google's managed OAuth client.
     *
     * @return the block
     */
    public static Iap googleManaged() {
      return new Iap(true, null, null);
    }
  }

  /**
   * A reference to a Secret in the policy's namespace.
   *
   * @param name the Secret's name
   */
  public record SecretRef(String name) implements Serializable {
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
