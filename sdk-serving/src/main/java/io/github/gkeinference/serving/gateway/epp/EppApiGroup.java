package io.github.gkeinference.serving.gateway.epp;

/**
 * The API group and version an endpoint picker reads its {@code EndpointPickerConfig} file in.
 *
 * <p>The file is not a Kubernetes object (the picker only reads it at start-up), but its first two
 * lines must name a group the picker image knows.
 */
public enum EppApiGroup {
  /**
   * {@code inference.networking.x-k8s.io/v1alpha1}, the group GKE documents and the Gateway API
   * Inference Extension reads (kubernetes-sigs/gateway-api-inference-extension v1.5.0
   * site-src/guides/epp-configuration/config-text.md).
   */
  GATEWAY_API_INFERENCE_EXTENSION("inference.networking.x-k8s.io/v1alpha1"),
  /**
   * {@code llm-d.ai/v1alpha1}, the llm-d router's group since llm-d/llm-d-inference-scheduler PR
   * #972 (RELEASE-NOTES.md at commit 520af478, 2026-05-05; apix/config/v1alpha1/doc.go), which
   * deprecates the other one there.
   */
  LLM_D("llm-d.ai/v1alpha1");

  private final String apiVersion;

  EppApiGroup(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  /** Returns the {@code apiVersion} line's value. */
  public String apiVersion() {
    return apiVersion;
  }
}
