package io.github.gkeinference.accelerators.catalog;

/**
 * How well a catalog fact is backed by its source.
 *
 * <p>A fact is {@link #VERIFIED} when it was read in a primary source (a GKE or Cloud TPU page, an
 * upstream repository), {@link #SECONDARY} when it comes from a public copy or from public code
 * that quotes the primary source, and {@link #UNCONFIRMED} when no source was found; use
 * unconfirmed facts as hints and check them before relying on them.
 */
public enum Confidence {
  /** Read in a primary source. */
  VERIFIED,
  /** Read in a secondary copy or in public code that agrees with the primary source. */
  SECONDARY,
  /** Not confirmed by any source read for the catalog; check before relying on it. */
  UNCONFIRMED
}
