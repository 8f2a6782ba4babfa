package io.github.gkeinference.accelerators.giq;

import io.github.gkeinference.core.spec.SdkStyle;
import java.util.List;
import org.immutables.value.Value;

/** The answer to a GIQ profile query: every profile of every page, and GIQ's comments. */
@Value.Immutable
@SdkStyle
public interface FetchedProfiles {
  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The profiles, in GIQ's order. */
  List<GiqProfile> profiles();

  /** GIQ's comments on the answer (distinct, in page order). */
  List<String> comments();

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableFetchedProfiles.Builder {}
}
