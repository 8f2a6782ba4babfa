package io.github.gkeinference.serving.vllm;

import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A LoRA adapter the server loads at start-up, served under {@link #name()} beside the base model.
 *
 * <p>Its weights come from exactly one of:
 *
 * <ul>
 *   <li>{@link #modelBucketPath()}: a folder of the model's own bucket (the server's source must be
 *       a {@link GcsFuseSource}), mounted read-only through GCS FUSE with its own {@code only-dir}
 *       and the model's mount options at {@code /adapters/<name>} ({@link #mountPath(String)});
 *   <li>a {@link GcsFuseSource} {@link #source()}: any bucket folder, mounted the same way (at its
 *       {@code mountPath} when set, else {@code /adapters/<name>});
 *   <li>a {@link HuggingFaceSource} {@link #source()}: a Hub repository vLLM downloads at start-up
 *       ({@code vllm/lora/utils.py get_adapter_absolute_path}, vLLM v0.11.2). A gated repository
 *       needs a token, given only as a Secret reference ({@code HuggingFaceSource.token}); it
 *       becomes the container's {@code HF_TOKEN}, so every Hub adapter, draft and model of one
 *       server must use the same Secret key. vLLM's {@code --lora-modules} takes no revision.
 * </ul>
 *
 * <p>Rendered as {@code --lora-modules name=path} (vLLM v0.11.2 {@code
 * vllm/entrypoints/openai/cli_args.py} {@code LoRAParserAction} reads {@code name=path} when the
 * item has a {@code =} and no {@code ,}).
 *
 * <pre>{@code
 * LoraAdapter sql = LoraAdapter.inModelBucket("sql", "adapters/sql-lora");
 * LoraAdapter chat = LoraAdapter.of("chat", HuggingFaceSource.builder()
 *     .modelId("org/chat-lora")
 *     .token(SecretRef.of("hf-token", "token"))
 *     .build());
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableLoraAdapter.class)
public interface LoraAdapter {
  /** The folder under which bucket adapters are mounted by default: {@code /adapters/<name>}. */
  String MOUNT_ROOT = "/adapters";

  /** Adapter names: the model name clients send, so letters, digits, '-', '_' and '.'. */
  Pattern NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]{0,127}");

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Returns an adapter read from a source.
   *
   * @param name the name clients request
   * @param source a {@link GcsFuseSource} or {@link HuggingFaceSource}
   * @return the adapter
   */
  static LoraAdapter of(String name, ModelSource source) {
    return builder().name(name).source(source).build();
  }

  /**
   * Returns an adapter read from a folder of the model's bucket.
   *
   * @param name the name clients request
   * @param path the folder in the model's bucket, for example {@code adapters/sql-lora}
   * @return the adapter
   */
  static LoraAdapter inModelBucket(String name, String path) {
    return builder().name(name).modelBucketPath(path).build();
  }

  /** The model name clients request; unique, and not the served model's name. */
  String name();

  /** Where the adapter comes from: a {@link GcsFuseSource} or a {@link HuggingFaceSource}. */
  Optional<ModelSource> source();

  /** A folder of the model's bucket that holds the adapter; instead of {@link #source()}. */
  Optional<String> modelBucketPath();

  /**
   * Returns where a bucket adapter is mounted: the source's own mount path when it sets one, else
   * {@code /adapters/<name>}.
   *
   * @param name the adapter's name
   * @return the mount path
   */
  static String mountPath(String name) {
    return MOUNT_ROOT + "/" + name;
  }

  /**
   * Adds this adapter's own violations (the server checks what spans the spec: unique names, the
   * model's bucket, tokens).
   *
   * @param v the collector, positioned at the adapter
   */
  default void validate(Violations v) {
    v.require(
        NAME.matcher(name()).matches(),
        "name",
        name(),
        "must be letters, digits, '-', '_' and '.', starting with a letter or digit, at most 128");
    v.require(
        source().isPresent() != modelBucketPath().isPresent(),
        "source",
        null,
        "set exactly one of source and modelBucketPath");
    source().ifPresent(s -> AdapterSources.check(v, "source", s));
    modelBucketPath().ifPresent(p -> AdapterSources.checkBucketPath(v, "modelBucketPath", p));
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableLoraAdapter.Builder {}
}
