package io.github.gkeinference.serving.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.GcpBackendPolicy;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Identity-Aware Proxy on inference gateways: rendering and the exposure warnings. */
class GatewayIapTest {
  static InferenceGateway external() {
    return InferenceGatewayTest.canary().toBuilder()
        .gatewayClass(InferenceGateway.GatewayClass.REGIONAL_EXTERNAL)
        .build();
  }

  static List<Violation> warnings(InferenceGateway gateway) {
    Violations v = Violations.root();
    gateway.validate(v);
    return v.all();
  }

  @Test
  void render_withCustomOauthClient_referencesTheSecretAndListensOnHttps() {
    InferenceGateway gateway =
        external().toBuilder()
            .iap(
                i ->
                    i.oauthClientId("123-abc.apps.googleusercontent.com")
                        .oauthClientSecretName("llama-iap-oauth"))
            .build();
    RenderedSet set = gateway.render();
    SchemaValidator schemas = SchemaValidator.forTests();
    set.kubernetesObjects().forEach(schemas::assertValid);
    List<GcpBackendPolicy> policies = set.kubernetesObjects(GcpBackendPolicy.class);
    // one policy per pool, each with IAP on and the client secret by reference
    assertThat(policies).hasSize(2);
    assertThat(policies)
        .allSatisfy(
            p -> {
              GcpBackendPolicy.Iap iap = p.spec().defaults().iap();
              assertThat(iap).isNotNull();
              assertThat(iap.enabled()).isTrue();
              assertThat(iap.clientId()).isEqualTo("123-abc.apps.googleusercontent.com");
              assertThat(iap.oauth2ClientSecret())
                  .isEqualTo(new GcpBackendPolicy.SecretRef("llama-iap-oauth"));
            });
    assertThat(ManifestYaml.toYaml(set))
        .contains("clientID: 123-abc.apps.googleusercontent.com")
        .contains("oauth2ClientSecret:\n        name: llama-iap-oauth");
    Listener listener =
        set.find(Gateway.class, "llama").orElseThrow().getSpec().getListeners().get(0);
    assertThat(listener.getProtocol()).isEqualTo("HTTPS");
    assertThat(listener.getPort()).isEqualTo(443);
    assertThat(listener.getTls().getCertificateRefs().get(0).getName()).isEqualTo("llama-tls");
    assertThat(warnings(gateway)).isEmpty();
  }

  @Test
  void render_googleManaged_turnsIapOnWithoutClientFields() {
    RenderedSet set = external().toBuilder().iap(Iap.googleManaged()).build().render();
    assertThat(set.kubernetesObjects(GcpBackendPolicy.class))
        .allSatisfy(
            p ->
                assertThat(p.spec().defaults().iap())
                    .isEqualTo(new GcpBackendPolicy.Iap(true, null, null)));
  }

  @Test
  void render_withoutIap_keepsPlainHttpAndNoIapBlock() {
    RenderedSet set = external().render();
    assertThat(set.kubernetesObjects(GcpBackendPolicy.class))
        .allSatisfy(p -> assertThat(p.spec().defaults().iap()).isNull());
    assertThat(set.find(Gateway.class, "llama").orElseThrow().getSpec().getListeners())
        .extracting(Listener::getProtocol)
        .containsExactly("HTTP");
  }

  @Test
  void validate_externalWithoutAuth_warnsAtGatewayClass() {
    assertThat(warnings(external()))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.isError()).isFalse();
              assertThat(v.path()).isEqualTo("gatewayClass");
              assertThat(v.message()).contains("open inference endpoint on the internet");
            });
    assertThat(warnings(external().toBuilder().authenticatedElsewhere(true).build())).isEmpty();
  }

  @Test
  void validate_iapOnInternalGateway_warnsAtIap() {
    assertThat(warnings(InferenceGatewayTest.canary().toBuilder().iap(Iap.googleManaged()).build()))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.isError()).isFalse();
              assertThat(v.path()).isEqualTo("iap");
            });
    // the internal gateway alone draws nothing
    assertThat(warnings(InferenceGatewayTest.canary())).isEmpty();
  }

  @Test
  void build_halfAnOauthClientOrALiteralSecret_isRejectedWithPaths() {
    assertThatThrownBy(
            () -> Iap.builder().oauthClientId("123-abc.apps.googleusercontent.com").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("oauthClientSecretName"));
    String literal = "GOCSPX-AbCdEf_literal_secret";
    assertThatThrownBy(
            () ->
                Iap.builder()
                    .oauthClientId("123-abc.apps.googleusercontent.com")
                    .oauthClientSecretName(literal)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e -> {
              assertThat(e.violations())
                  .extracting(Violation::path)
                  .containsExactly("oauthClientSecretName");
              // a secret pasted by mistake is not echoed back
              assertThat(e.getMessage()).doesNotContain(literal);
            });
  }
}
