package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An InferencePool ({@code inference.networking.k8s.io/v1}): the model-server pods a gateway routes
 * to through an endpoint picker.
 *
 * <p>Fields follow the Gateway API Inference Extension v1.6.0 CRD
 * (kubernetes-sigs/gateway-api-inference-extension v1.6.0
 * config/crd/bases/inference.networking.k8s.io_inferencepools.yaml); {@code targetPorts} is kept to
 * one entry and {@code endpointPickerRef} always set, so the object is also valid against the
 * v1.0.0 CRD that older GKE versions serve.
 */
@Group("inference.networking.k8s.io")
@Version("v1")
@Kind("InferencePool")
public final class InferencePool extends CustomObject<InferencePool.Spec> {
  private static final long serialVersionUID = 1L;

  /** The API group of InferencePool v1, also used in HTTPRoute backend and policy references. */
  public static final String GROUP = "inference.networking.k8s.io";

  /** The apiVersion. */
  public static final String API_VERSION = GROUP + "/v1";

  /** The kind. */
  public static final String KIND = "InferencePool";

  /** Creates an empty pool. */
  public InferencePool() {
    super(API_VERSION, KIND);
  }

  /**
   * The pool's spec.
   *
   * @param selector the labels that select model-server pods (AND semantics)
   * @param targetPorts the model-server ports the gateway sends traffic to
   * @param appProtocol {@code http} or {@code kubernetes.io/h2c}; null for the default (http)
   * @param endpointPickerRef the endpoint picker extension
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      Selector selector,
      List<Port> targetPorts,
      @Nullable String appProtocol,
      EndpointPickerRef endpointPickerRef)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public Spec {
      targetPorts = List.copyOf(targetPorts);
    }
  }

  /**
   * The label selector of a pool.
   *
   * @param matchLabels labels every selected pod has
   */
  public record Selector(Map<String, String> matchLabels) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the map. */
    public Selector {
      matchLabels = Map.copyOf(matchLabels);
    }
  }

  /**
   * A port number.
   *
   * @param number 1-65535
   */
  public record Port(int number) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The endpoint picker (EPP) a pool uses.
   *
   * @param kind {@code Service} when the picker is a Service in the pool's namespace
   * @param name the Service's name
   * @param port the Service's gRPC ext-proc port
   * @param failureMode {@code FailOpen} or {@code FailClose}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EndpointPickerRef(
      @Nullable String kind, String name, Port port, @Nullable String failureMode)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
