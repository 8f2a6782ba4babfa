package io.github.gkeinference.core.spec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The Immutables style every spec in the SDK uses.
 *
 * <p>Generated {@code ImmutableX} classes are package-private and hidden behind the spec type
 * ({@code overshadowImplementation}); callers only see {@code X}, {@code X.builder()} and {@code
 * x.toBuilder()}. A spec declares its builder as a nested {@code class Builder extends
 * ImmutableX.Builder {}} so that setters return {@code X.Builder}. Collection attributes get
 * singular {@code addX}/{@code putX} methods ({@code depluralize}); attributes marked
 * {@code @Value.Redacted} print as {@value #REDACTED} in {@code toString()}.
 *
 * <p>A spec that a spec file may hold also carries {@code @JsonDeserialize(as = ImmutableX.class)}
 * (Jackson 3's {@code tools.jackson.databind.annotation}): Immutables then generates the {@code
 * Json} delegate Jackson binds through, and Jackson knows which class implements {@code X}. The
 * annotation names each type's own generated class, so it cannot live on this style; the Jackson
 * settings every spec shares (unknown fields fail, enum spellings) are set once, on {@link
 * SpecBinder}'s mapper.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    builderVisibility = Value.Style.BuilderVisibility.PACKAGE,
    overshadowImplementation = true,
    depluralize = true,
    redactedMask = SdkStyle.REDACTED,
    jdkOnly = true,
    defaults = @Value.Immutable(copy = false))
public @interface SdkStyle {
  /** What a redacted (secret) attribute prints as. */
  String REDACTED = "****";
}
