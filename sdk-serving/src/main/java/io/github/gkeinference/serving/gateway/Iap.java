package io.github.gkeinference.serving.gateway;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.GcpBackendPolicy;
import java.util.Optional;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Identity-Aware Proxy in front of an external gateway's backends: every request must carry a
 * Google identity that holds {@code roles/iap.httpsResourceAccessor} on the backend, which IAP
 * checks before the request reaches a model server (GKE "Configure Identity-Aware Proxy",
 * https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_iap;
 * "Enabling IAP for GKE", https://cloud.google.com/iap/docs/enabling-gke-howto).
 *
 * <p>Rendered as the {@code iap} block of the GCPBackendPolicy ({@link
 * GcpBackendPolicy.Iap#of(Optional, Optional)}). Without an OAuth client, IAP uses a Google-managed
 * OAuth client, which admits only users of your organization; a custom client is named by its id
 * and by reference to a Kubernetes Secret holding its secret under the key {@code key} ({@code
 * kubectl create secret generic NAME --from-literal=key=CLIENT_SECRET}): the secret itself never
 * appears in a spec or in the rendered YAML. IAP needs an HTTPS load balancer, so the gateway then
 * listens on HTTPS with the certificate of {@link #tlsSecretName()}.
 *
 * <pre>{@code
 * Iap iap = Iap.builder()
 *     .oauthClientId("123-abc.apps.googleusercontent.com")
 *     .oauthClientSecretName("llama-iap-oauth")
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableIap.class)
public interface Iap {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns IAP with Google's managed OAuth client and the default TLS Secret. */
  static Iap googleManaged() {
    return builder().build();
  }

  /** The custom OAuth client's id; set with {@link #oauthClientSecretName()}, or neither. */
  Optional<String> oauthClientId();

  /**
   * The name of the Secret (same namespace) that holds the custom OAuth client's secret under the
   * key {@code key}; a reference, never the secret itself.
   */
  Optional<String> oauthClientSecretName();

  /**
   * The {@code kubernetes.io/tls} Secret whose certificate the gateway's HTTPS listener serves;
   * default {@code <gateway name>-tls}, which you create (or cert-manager does).
   */
  Optional<String> tlsSecretName();

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        oauthClientId().isPresent() == oauthClientSecretName().isPresent(),
        oauthClientId().isPresent() ? "oauthClientSecretName" : "oauthClientId",
        null,
        "set both oauthClientId and oauthClientSecretName (a custom OAuth client) or neither"
            + " (Google's managed client)");
    oauthClientId()
        .ifPresent(
            id ->
                v.require(
                    id.endsWith(".apps.googleusercontent.com") && !id.contains(" "),
                    "oauthClientId",
                    id,
                    "must be an OAuth client id such as 123-abc.apps.googleusercontent.com"));
    oauthClientSecretName()
        .ifPresent(
            n ->
                v.require(
                    KubernetesNames.isDns1123Subdomain(n),
                    "oauthClientSecretName",
                    // a literal client secret put here by mistake is not echoed back
                    KubernetesNames.isDns1123Subdomain(n) ? n : "(not a Secret name)",
                    "must name a Secret (a DNS-1123 subdomain) that holds the client secret under"
                        + " the key 'key'; never the secret itself"));
    tlsSecretName()
        .ifPresent(
            n ->
                v.require(
                    KubernetesNames.isDns1123Subdomain(n),
                    "tlsSecretName",
                    n,
                    "must be a DNS-1123 subdomain"));
    v.throwIfErrors();
  }

  /** Returns the GCPBackendPolicy's {@code iap} block. */
  default GcpBackendPolicy.Iap policy() {
    return GcpBackendPolicy.Iap.of(oauthClientId(), oauthClientSecretName());
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableIap.Builder {}
}
