package io.github.gkeinference.serving.internal;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;

/** The Gateway listeners the serving bundles render. */
public final class Listeners {
  private Listeners() {}

  /**
   * Returns an HTTPS listener on port 443 that terminates TLS with the certificate of a {@code
   * kubernetes.io/tls} Secret in the Gateway's namespace (GKE "Secure a Gateway",
   * https://cloud.google.com/kubernetes-engine/docs/how-to/secure-gateway): what Identity-Aware
   * Proxy needs in front of it (https://cloud.google.com/iap/docs/enabling-gke-howto).
   *
   * @param name the listener's name
   * @param tlsSecretName the Secret's name
   * @return a fresh listener
   */
  public static Listener https(String name, String tlsSecretName) {
    return new ListenerBuilder()
        .withName(name)
        .withProtocol("HTTPS")
        .withPort(443)
        .withNewTls()
        .withMode("Terminate")
        .addNewCertificateRef()
        .withGroup("")
        .withKind("Secret")
        .withName(tlsSecretName)
        .endCertificateRef()
        .endTls()
        .build();
  }
}
