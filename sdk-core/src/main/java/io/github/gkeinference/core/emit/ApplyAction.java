package io.github.gkeinference.core.emit;

/** What applying did to one resource. */
public enum ApplyAction {
  /** The object did not exist and was created. */
  CREATED,
  /** The object existed and the applied fields changed it. */
  CONFIGURED,
  /** The object already held every applied field. */
  UNCHANGED,
  /** The object carried the SDK's ownership labels, was no longer in the set and was deleted. */
  PRUNED,
  /** Like {@link #PRUNED}, but in a dry run: it would have been deleted. */
  WOULD_PRUNE,
  /** Applying failed; {@link ResourceResult#reason()} says why. */
  FAILED,
  /** An earlier resource failed, so this one was not sent. */
  NOT_ATTEMPTED
}
