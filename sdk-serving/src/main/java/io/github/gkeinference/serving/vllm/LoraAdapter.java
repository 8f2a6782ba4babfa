package io.github.gkeinference.serving.vllm;

import java.util.Objects;

/**
 * A LoRA adapter loaded at start-up, rendered as {@code --lora-modules name=path}.
 *
 * @param name the model name clients request
 * @param path the adapter's local path or Hub id
 */
public record LoraAdapter(String name, String path) {
  /** Checks for nulls. */
  public LoraAdapter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
  }
}
