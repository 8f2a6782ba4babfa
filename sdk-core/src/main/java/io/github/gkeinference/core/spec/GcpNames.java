package io.github.gkeinference.core.spec;

import io.github.gkeinference.core.validate.Violations;
import java.util.regex.Pattern;

/** Name rules of Google Cloud resources, shared by every module that validates them. */
public final class GcpNames {
  /**
   * Project ids: 6 to 30 lower-case ASCII letters, digits or '-', a letter first, no '-' at the end
   * (Resource Manager API v3, {@code Project.projectId}:
   * https://cloud.google.com/resource-manager/reference/rest/v3/projects).
   */
  public static final Pattern PROJECT_ID = Pattern.compile("[a-z][-a-z0-9]{4,28}[a-z0-9]");

  /**
   * Google service account emails such as {@code name@project.iam.gserviceaccount.com}: an account
   * id of 6 to 30 characters under the same rule as {@link #PROJECT_ID} (IAM API v1, {@code
   * CreateServiceAccountRequest.accountId}:
   * https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create), then the
   * IAM domain.
   */
  public static final Pattern SERVICE_ACCOUNT_EMAIL =
      Pattern.compile(PROJECT_ID.pattern() + "@[-a-z0-9.]+\\.iam\\.gserviceaccount\\.com");

  private GcpNames() {}

  /**
   * Adds one error at {@code path} when {@code email} is not a Google service account email ({@link
   * #SERVICE_ACCOUNT_EMAIL}); the one message every spec gives for it.
   *
   * @param v where the error goes
   * @param path the attribute, for example {@code googleServiceAccount}
   * @param email the value
   */
  public static void checkServiceAccountEmail(Violations v, String path, String email) {
    v.require(
        SERVICE_ACCOUNT_EMAIL.matcher(email).matches(),
        path,
        email,
        "must be a Google service account email such as name@project.iam.gserviceaccount.com (an"
            + " account id of 6 to 30 lower-case letters, digits or '-')");
  }
}
