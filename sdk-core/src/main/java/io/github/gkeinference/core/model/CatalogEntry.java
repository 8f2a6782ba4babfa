package io.github.gkeinference.core.model;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import org.immutables.value.Value;

/**
 * One model of the {@link ModelCatalog}: its Hugging Face id, architecture and where the facts come
 * from.
 */
@Value.Immutable
@SdkStyle
public interface CatalogEntry {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The Hugging Face model id, for example {@code meta-llama/Llama-3.1-8B-Instruct}. */
  String huggingFaceId();

  /** The architecture, as read from {@link #source()}. */
  ModelArchitecture architecture();

  /** Where the facts come from: the URL of the published {@code config.json}. */
  String source();

  /**
   * The parameter count the model's publisher states (model card), for comparison with {@link
   * ModelArchitecture#totalParameters()}; 0 when not stated.
   */
  @Value.Default
  default long publishedParameters() {
    return 0;
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        huggingFaceId().matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*"),
        "huggingFaceId",
        huggingFaceId(),
        "must be owner/name");
    v.require(source().startsWith("https://"), "source", source(), "must be an https URL");
    v.require(
        publishedParameters() >= 0,
        "publishedParameters",
        publishedParameters(),
        "must be zero or more");
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableCatalogEntry.Builder {
    /**
     * Sets the architecture from a builder.
     *
     * @param architecture fills the nested builder
     * @return this builder
     */
    public Builder architecture(
        java.util.function.Consumer<ModelArchitecture.Builder> architecture) {
      ModelArchitecture.Builder b = ModelArchitecture.builder();
      architecture.accept(b);
      return architecture(b.build());
    }
  }
}
