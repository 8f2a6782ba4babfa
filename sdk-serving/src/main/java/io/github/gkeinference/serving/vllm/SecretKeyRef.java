package io.github.gkeinference.serving.vllm;

import java.util.Objects;

/**
 * A reference to one key of a Kubernetes Secret; the SDK never sees the secret's value.
 *
 * @param name the Secret's name, in the server's namespace
 * @param key the key inside the Secret
 */
public record SecretKeyRef(String name, String key) {
  /** Checks that both parts are present. */
  public SecretKeyRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }
}
