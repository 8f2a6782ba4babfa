package io.github.gkeinference.accelerators.preflight;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of a preflight report.
 *
 * @param check what was checked: {@code api}, {@code gke-version}, {@code accelerator-offered},
 *     {@code quota} or {@code fallback-chain}
 * @param subject what it was checked for, for example {@code NVIDIA_L4_GPUS} or {@code
 *     container.googleapis.com}
 * @param status pass, warn or fail
 * @param detail what was found
 * @param fix what to do about it; empty when the check passed
 * @param missingPermission the IAM permission the caller lacked when the check could not run for
 *     that reason (or for want of credentials), else {@code null}
 */
public record PreflightCheck(
    String check,
    String subject,
    CheckStatus status,
    String detail,
    String fix,
    @Nullable String missingPermission) {

  /** Validates the components. */
  public PreflightCheck {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(fix, "fix");
  }

  static PreflightCheck pass(String check, String subject, String detail) {
    return new PreflightCheck(check, subject, CheckStatus.PASS, detail, "", null);
  }

  static PreflightCheck warn(String check, String subject, String detail, String fix) {
    return new PreflightCheck(check, subject, CheckStatus.WARN, detail, fix, null);
  }

  static PreflightCheck fail(String check, String subject, String detail, String fix) {
    return new PreflightCheck(check, subject, CheckStatus.FAIL, detail, fix, null);
  }
}
