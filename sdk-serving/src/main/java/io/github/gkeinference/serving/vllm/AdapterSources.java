package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violations;

/** The rules shared by the sources of LoRA adapters and draft models. */
final class AdapterSources {
  private AdapterSources() {}

  /**
   * Adds the violations of an adapter's or draft's source: its own, and the kinds that can carry
   * one (a GCS FUSE mount, or a Hub id without revision).
   */
  static void check(Violations v, String field, ModelSource source) {
    source.validate(v.at(field));
    if (source instanceof HuggingFaceSource hf) {
      v.require(
          hf.revision().isEmpty(),
          field + ".revision",
          hf.revision().orElse(null),
          "cannot be pinned: vLLM downloads adapters and drafts from the default branch; mirror"
              + " the revision into a bucket and use a gcsFuse source instead");
    } else {
      v.require(
          source instanceof GcsFuseSource,
          field + "." + ModelSource.TYPE,
          source.getClass().getSimpleName(),
          "must be gcsFuse or huggingFace: vLLM reads adapters and drafts from a folder or the Hub");
    }
  }

  /** Adds a violation when {@code path} is not a folder name inside a bucket. */
  static void checkBucketPath(Violations v, String field, String path) {
    try {
      GcsLocation.of("bucket", path);
      v.require(!path.isEmpty(), field, path, "must name a folder of the model's bucket");
    } catch (SdkValidationException e) {
      e.violations().forEach(x -> v.error(field, path, x.message()));
    }
  }
}
