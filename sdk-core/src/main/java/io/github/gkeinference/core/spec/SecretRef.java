package io.github.gkeinference.core.spec;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Secrets;
import io.github.gkeinference.core.validate.Violations;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A reference to one key of a Kubernetes Secret: how the SDK takes tokens and keys, never as
 * literal values.
 *
 * <pre>{@code
 * SecretRef token = SecretRef.of("hf-token", "token");
 * }</pre>
 *
 * <p>A name that looks like a literal credential (a token {@link Secrets} recognises, a PEM block)
 * is rejected, with the value masked in the violation.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableSecretRef.class)
public interface SecretRef {
  /** The DNS-1123 subdomain rule Kubernetes applies to Secret names. */
  Pattern NAME = KubernetesNames.DNS_1123_SUBDOMAIN;

  /** The rule Kubernetes applies to Secret data keys. */
  Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /**
   * Returns a reference to {@code key} in the Secret {@code name}.
   *
   * @param name the Secret's name
   * @param key the key within the Secret
   * @return the reference
   * @throws io.github.gkeinference.core.validate.SdkValidationException when either is invalid or
   *     the name looks like a literal credential
   */
  static SecretRef of(String name, String key) {
    return builder().name(name).key(key).build();
  }

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The Secret's name, in the namespace of the workload that uses it. */
  String name();

  /** The key within the Secret. */
  String key();

  /**
   * Returns an environment variable that takes its value from this Secret key.
   *
   * @param variable the variable's name, for example {@code HF_TOKEN}
   * @return a new fabric8 environment variable
   */
  default EnvVar toEnvVar(String variable) {
    return new EnvVarBuilder()
        .withName(variable)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(name())
        .withKey(key())
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  /**
   * Checks both fields at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    validate(v);
    v.throwIfErrors();
  }

  /**
   * Adds this value's violations to {@code v}.
   *
   * @param v the collector, positioned at this value
   */
  default void validate(Violations v) {
    if (looksLikeCredential(name()) || looksLikeCredential(key())) {
      v.secretError(
          looksLikeCredential(name()) ? "name" : "key",
          "looks like a literal credential; store it in a Kubernetes Secret and give the Secret's"
              + " name and key instead");
      return;
    }
    v.require(
        NAME.matcher(name()).matches() && name().length() <= 253,
        "name",
        name(),
        "must be a Secret name: a DNS-1123 subdomain of at most 253 characters");
    v.require(
        KEY.matcher(key()).matches() && key().length() <= 253,
        "key",
        key(),
        "must be a Secret key: letters, digits, '-', '_' and '.'");
  }

  /**
   * Returns whether a value looks like a credential rather than a name: the SDK's one rule, {@link
   * Secrets}, or any PEM block.
   */
  private static boolean looksLikeCredential(String value) {
    return Secrets.containsToken(value) || value.contains("-----BEGIN");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableSecretRef.Builder {}
}
