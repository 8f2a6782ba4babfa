package io.github.gkeinference.accelerators.giq;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * Which GIQ profiles to fetch ({@code gkerecommender.v1.FetchProfilesRequest}): every filter is
 * optional, and GIQ drops profiles with no measured point within the latency targets.
 */
@Value.Immutable
@SdkStyle
public interface GiqQuery {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A query for one model.
   *
   * @param model a Hugging Face id
   * @return the query
   */
  static GiqQuery of(String model) {
    return builder().model(model).build();
  }

  /** The model (Hugging Face id); empty means every model. */
  Optional<String> model();

  /** The model server, for example {@code vllm}; empty means every server. */
  Optional<String> modelServer();

  /** The model server version; empty means every version. */
  Optional<String> modelServerVersion();

  /** The TTFT target, milliseconds. */
  OptionalInt ttftMillis();

  /** The NTPOT target, milliseconds. */
  OptionalInt ntpotMillis();

  /** Profiles per page GIQ should return; empty lets the service choose. */
  OptionalInt pageSize();

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    ttftMillis().ifPresent(t -> v.require(t > 0, "ttftMillis", t, "must be positive"));
    ntpotMillis().ifPresent(t -> v.require(t > 0, "ntpotMillis", t, "must be positive"));
    pageSize().ifPresent(p -> v.require(p > 0, "pageSize", p, "must be positive"));
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGiqQuery.Builder {}
}
