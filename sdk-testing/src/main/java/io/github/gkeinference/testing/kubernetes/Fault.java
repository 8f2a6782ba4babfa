package io.github.gkeinference.testing.kubernetes;

import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fault the {@link KubernetesTestServer} answers instead of the real response: an HTTP error with
 * a Kubernetes {@code Status} body, a throttling answer with {@code Retry-After}, or a response
 * that hangs longer than the client waits.
 *
 * @param code the HTTP status code ({@code 200} for {@link #hang(Duration)})
 * @param reason the Kubernetes {@code Status.reason}, for example {@code Conflict}
 * @param message the {@code Status.message}
 * @param retryAfterSeconds the {@code Retry-After} header in seconds, or {@code null} for none
 * @param delay how long the response is held back ({@link Duration#ZERO} for none)
 * @param conflictField for a field-manager conflict, the contested field; otherwise {@code null}
 */
public record Fault(
    int code,
    String reason,
    String message,
    @Nullable Integer retryAfterSeconds,
    Duration delay,
    @Nullable String conflictField) {

  /** Validates the components. */
  public Fault {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(delay, "delay");
  }

  /** A {@code 409 Conflict}, as the API server answers a conflicting write. */
  public static Fault conflict() {
    return new Fault(
        409,
        "Conflict",
        "Operation cannot be fulfilled: the object has been modified; please apply your changes"
            + " to the latest version and try again",
        null,
        Duration.ZERO,
        null);
  }

  /**
   * A {@code 429 Too Many Requests} with a {@code Retry-After} header.
   *
   * @param retryAfter the delay the server asks for, in whole seconds
   * @return the fault
   */
  public static Fault tooManyRequests(Duration retryAfter) {
    return new Fault(
        429,
        "TooManyRequests",
        "Too many requests, please try again later.",
        (int) retryAfter.toSeconds(),
        Duration.ZERO,
        null);
  }

  /**
   * A {@code 409 Conflict} of server-side apply: another field manager owns a field the apply sets,
   * and the apply did not force. Like the API server, the cause has reason {@code
   * FieldManagerConflict}.
   *
   * @param manager the other field manager
   * @param field the contested field, for example {@code .spec.replicas}
   * @return the fault
   */
  public static Fault fieldManagerConflict(String manager, String field) {
    return new Fault(
        409,
        "Conflict",
        "Apply failed with 1 conflict: conflict with \"" + manager + "\": " + field,
        null,
        Duration.ZERO,
        field);
  }

  /** A {@code 500 Internal Server Error}. */
  public static Fault serverError() {
    return new Fault(
        500, "InternalError", "Internal error occurred: injected fault", null, Duration.ZERO, null);
  }

  /**
   * A {@code 403 Forbidden} with the message the API server gives a user without permission.
   *
   * @param message the message, for example {@code deployments.apps "web" is forbidden: ...}
   * @return the fault
   */
  public static Fault forbidden(String message) {
    return new Fault(403, "Forbidden", message, null, Duration.ZERO, null);
  }

  /**
   * Any status code with a Kubernetes {@code Status} body.
   *
   * @param code the HTTP status code
   * @param reason the {@code Status.reason}
   * @param message the {@code Status.message}
   * @return the fault
   */
  public static Fault status(int code, String reason, String message) {
    return new Fault(code, reason, message, null, Duration.ZERO, null);
  }

  /**
   * A response whose body is held back for {@code delay}: a client with a shorter request timeout
   * gives up first.
   *
   * @param delay how long to hold the response
   * @return the fault
   */
  public static Fault hang(Duration delay) {
    return new Fault(200, "", "", null, delay, null);
  }

  MockResponse response() {
    if (!delay.isZero()) {
      return new MockResponse().setResponseCode(code).setBody("{}").setBodyDelay(delay);
    }
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":"
            + quote(message)
            + ",\"reason\":"
            + quote(reason)
            + ",\"code\":"
            + code
            + (retryAfterSeconds == null
                ? ""
                : ",\"details\":{\"retryAfterSeconds\":" + retryAfterSeconds + "}")
            + (conflictField == null
                ? ""
                : ",\"details\":{\"causes\":[{\"reason\":\"FieldManagerConflict\","
                    + "\"message\":"
                    + quote(message)
                    + ",\"field\":"
                    + quote(conflictField)
                    + "}]}")
            + "}";
    MockResponse response =
        new MockResponse()
            .setResponseCode(code)
            .setHeader("Content-Type", "application/json")
            .setBody(body);
    if (retryAfterSeconds != null) {
      response.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }
    return response;
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
