package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.comfyui.ComfyUi;

/**
 * ComfyUI for image-generation workflows on an L4, with models, inputs, outputs and workflows in
 * four Cloud Storage buckets, published through an external Gateway protected by IAP.
 *
 * <p>Use it to give a team a shared diffusion workbench without exposing it to the internet.
 */
public final class ComfyUiSample {
  /** The sample's name on the command line. */
  public static final String NAME = "comfyui";

  private ComfyUiSample() {}

  /**
   * Renders the sample.
   *
   * @param options ignored
   * @return the ComfyUI bundle
   */
  public static RenderedSet render(SampleOptions options) {
    return ComfyUi.builder()
        .name("comfyui")
        .namespace("comfyui")
        .image("us-docker.pkg.dev/my-project/images/comfyui:1.0.0")
        .placement(p -> p.accelerator("nvidia-l4"))
        .modelsBucket("my-project-comfyui-models")
        .inputBucket("my-project-comfyui-input")
        .outputBucket("my-project-comfyui-output")
        .workflowsBucket("my-project-comfyui-workflows")
        .hostname("comfyui.example.com")
        .googleServiceAccount("comfyui@my-project.iam.gserviceaccount.com")
        .build()
        .render();
  }
}
