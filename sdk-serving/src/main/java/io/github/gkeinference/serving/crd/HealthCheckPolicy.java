package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A GKE HealthCheckPolicy ({@code networking.gke.io/v1}): how the load balancer health-checks the
 * backends of its target (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * config/charts/inferencepool/templates/gke.yaml).
 */
@Group("networking.gke.io")
@Version("v1")
@Kind("HealthCheckPolicy")
public final class HealthCheckPolicy extends CustomObject<HealthCheckPolicy.Spec> {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "networking.gke.io/v1";

  /** The kind. */
  public static final String KIND = "HealthCheckPolicy";

  /** Creates an empty policy. */
  public HealthCheckPolicy() {
    super(API_VERSION, KIND);
  }

  /**
   * The policy's spec.
   *
   * @param targetRef the InferencePool or Service checked
   * @param defaults the check (JSON name {@code default})
   */
  public record Spec(
      PolicyTargetRef targetRef,
      @com.fasterxml.jackson.annotation.JsonProperty("default") Check defaults)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The check's timing and protocol.
   *
   * @param timeoutSec seconds to wait for an answer
   * @param checkIntervalSec seconds between checks
   * @param config the protocol
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Check(
      @Nullable Integer timeoutSec, @Nullable Integer checkIntervalSec, Config config)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The protocol of a check: HTTP or gRPC.
   *
   * @param type {@code HTTP} or {@code GRPC}
   * @param httpHealthCheck the HTTP request, for {@code HTTP}
   * @param grpcHealthCheck the gRPC check, for {@code GRPC}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Config(
      String type, @Nullable HttpCheck httpHealthCheck, @Nullable GrpcCheck grpcHealthCheck)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Returns an HTTP check.
     *
     * @param check the request
     * @return the config
     */
    public static Config http(HttpCheck check) {
      return new Config("HTTP", check, null);
    }

    /**
     * Returns a gRPC check on a fixed port.
     *
     * @param port the port
     * @return the config
     */
    public static Config grpc(int port) {
      return new Config("GRPC", null, new GrpcCheck("USE_FIXED_PORT", port));
    }
  }

  /**
   * A gRPC health check.
   *
   * @param portSpecification {@code USE_FIXED_PORT}
   * @param port the port
   */
  public record GrpcCheck(String portSpecification, int port) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * An HTTP health check.
   *
   * @param portSpecification {@code USE_FIXED_PORT} with {@code port}, or {@code USE_SERVING_PORT}
   * @param port the fixed port, or null
   * @param requestPath the path, for example {@code /health}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpCheck(
      @Nullable String portSpecification, @Nullable Integer port, String requestPath)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
