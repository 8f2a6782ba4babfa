package io.github.gkeinference.accelerators.catalog;

import java.util.Objects;

/**
 * Where a catalog fact comes from.
 *
 * @param citation the document, repository file or page the fact was read in
 * @param confidence how well the citation backs the fact
 */
public record Source(String citation, Confidence confidence) {
  /** Validates the components. */
  public Source {
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(confidence, "confidence");
  }

  static Source verified(String citation) {
    return new Source(citation, Confidence.VERIFIED);
  }

  static Source secondary(String citation) {
    return new Source(citation, Confidence.SECONDARY);
  }

  static Source unconfirmed(String citation) {
    return new Source(citation, Confidence.UNCONFIRMED);
  }

  /** Returns whether the fact is confirmed (verified or secondary). */
  public boolean confirmed() {
    return confidence != Confidence.UNCONFIRMED;
  }
}
