package io.github.gkeinference.accelerators.preflight;

/** The outcome of one preflight check. */
public enum CheckStatus {
  /** Nothing to do. */
  PASS,
  /**
   * Could not be checked, or may bite later (for example quota for fewer than the max replicas).
   */
  WARN,
  /** Deploying as specified fails; the check's fix says what to change. */
  FAIL
}
