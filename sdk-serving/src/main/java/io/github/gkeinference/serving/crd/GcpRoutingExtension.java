package io.github.gkeinference.serving.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A GKE GCPRoutingExtension ({@code networking.gke.io/v1}): an ext-proc service the load balancer
 * calls before routing, used to attach body-based routing to a Gateway
 * (kubernetes-sigs/gateway-api-inference-extension v1.5.0
 * config/charts/body-based-routing/values.yaml).
 */
@Group("networking.gke.io")
@Version("v1")
@Kind("GCPRoutingExtension")
public final class GcpRoutingExtension extends CustomObject<GcpRoutingExtension.Spec> {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "networking.gke.io/v1";

  /** The kind. */
  public static final String KIND = "GCPRoutingExtension";

  /** Creates an empty extension. */
  public GcpRoutingExtension() {
    super(API_VERSION, KIND);
  }

  /**
   * The extension's spec.
   *
   * @param targetRefs the Gateways it applies to
   * @param extensionChains the chains of extensions
   */
  public record Spec(List<PolicyTargetRef> targetRefs, List<Chain> extensionChains)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public Spec {
      targetRefs = List.copyOf(targetRefs);
      extensionChains = List.copyOf(extensionChains);
    }
  }

  /**
   * A chain of extensions.
   *
   * @param name the chain's name
   * @param extensions the extensions, called in order
   */
  public record Chain(String name, List<Extension> extensions) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public Chain {
      extensions = List.copyOf(extensions);
    }
  }

  /**
   * One ext-proc extension.
   *
   * @param name the extension's name
   * @param authority the {@code :authority} the load balancer sends
   * @param timeout the per-message timeout, for example {@code 1s}
   * @param supportedEvents the request phases sent to the extension
   * @param requestBodySendMode {@code Streamed} or {@code FullDuplexStreamed}
   * @param backendRef the Service that implements it
   * @param failOpen whether requests go on when the extension fails; null for the default
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Extension(
      String name,
      String authority,
      String timeout,
      List<String> supportedEvents,
      String requestBodySendMode,
      BackendRef backendRef,
      @Nullable Boolean failOpen)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public Extension {
      supportedEvents = List.copyOf(supportedEvents);
    }
  }

  /**
   * The Service behind an extension.
   *
   * @param group {@code ""} for a Service
   * @param kind {@code Service}
   * @param name the Service's name
   * @param port the Service's gRPC port
   */
  public record BackendRef(String group, String kind, String name, int port)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
