package io.github.gkeinference.subscriber;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The worker's settings, read from the environment variables that {@code
 * io.github.gkeinference.serving.async.AsyncInference} renders into its Deployment.
 *
 * @param projectId {@code PROJECT_ID}
 * @param subscription {@code PUBSUB_SUBSCRIPTION_ID}, the subscription id
 * @param modelId {@code MODEL_ID}, the served model name sent as {@code model}
 * @param endpoint {@code VLLM_API_ENDPOINT}, {@code .../v1/chat/completions} or {@code
 *     .../v1/completions}
 * @param resultsBucket {@code RESULTS_BUCKET}, where answers are written
 * @param resultsPrefix {@code RESULTS_PREFIX}, the object name prefix; default {@code results/}
 * @param batchSize {@code BATCH_SIZE}, messages per pull; default 100
 * @param maxConcurrentRequests {@code MAX_CONCURRENT_REQUESTS}; default 100
 * @param healthPort {@code HEALTH_PORT}, where {@code GET /healthz} answers; 0 for none (default)
 */
public record Settings(
    String projectId,
    String subscription,
    String modelId,
    URI endpoint,
    String resultsBucket,
    String resultsPrefix,
    int batchSize,
    int maxConcurrentRequests,
    int healthPort) {

  /** Checks the components. */
  public Settings {
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(resultsBucket, "resultsBucket");
    Objects.requireNonNull(resultsPrefix, "resultsPrefix");
    if (batchSize < 1 || maxConcurrentRequests < 1 || healthPort < 0) {
      throw new IllegalArgumentException(
          "BATCH_SIZE and MAX_CONCURRENT_REQUESTS must be at least 1, HEALTH_PORT at least 0");
    }
  }

  /** Returns the subscription's full name, {@code projects/P/subscriptions/S}. */
  public String subscriptionName() {
    return "projects/" + projectId + "/subscriptions/" + subscription;
  }

  /** Returns whether the endpoint is the chat API ({@code /v1/chat/completions}). */
  public boolean chat() {
    return endpoint.getPath().endsWith("/chat/completions");
  }

  /**
   * Reads the settings from environment variables.
   *
   * @param env the variables, for example {@code System.getenv()}
   * @return the settings
   * @throws IllegalArgumentException naming every missing or malformed variable
   */
  public static Settings fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String project = required(env, "PROJECT_ID", problems);
    String sub = required(env, "PUBSUB_SUBSCRIPTION_ID", problems);
    String model = required(env, "MODEL_ID", problems);
    String endpoint = required(env, "VLLM_API_ENDPOINT", problems);
    String bucket = required(env, "RESULTS_BUCKET", problems);
    int batch = integer(env, "BATCH_SIZE", 100, problems);
    int concurrent = integer(env, "MAX_CONCURRENT_REQUESTS", 100, problems);
    int health = integer(env, "HEALTH_PORT", 0, problems);
    URI uri = URI.create("http://invalid/");
    if (!endpoint.isEmpty()) {
      try {
        uri = URI.create(endpoint);
        if (!uri.getPath().endsWith("/completions")) {
          problems.add("VLLM_API_ENDPOINT must end in /v1/completions or /v1/chat/completions");
        }
      } catch (IllegalArgumentException e) {
        problems.add("VLLM_API_ENDPOINT is not a URL: " + endpoint);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new Settings(
        project,
        sub,
        model,
        uri,
        bucket,
        env.getOrDefault("RESULTS_PREFIX", "results/"),
        batch,
        concurrent,
        health);
  }

  private static String required(Map<String, String> env, String name, List<String> problems) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      problems.add(name + " is required");
      return "";
    }
    return v;
  }

  private static int integer(
      Map<String, String> env, String name, int fallback, List<String> problems) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      problems.add(name + " must be an integer, not " + v);
      return fallback;
    }
  }
}
