package io.github.gkeinference.observability.loadtest;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a load test sends, how fast, and when it stops.
 *
 * <pre>{@code
 * LoadTestOptions options = LoadTestOptions.builder()
 *     .baseUrl(URI.create("http://127.0.0.1:8000"))
 *     .model("meta-llama/Llama-3.1-8B-Instruct")
 *     .closedLoop(8)
 *     .maxRequests(200)
 *     .maxDuration(Duration.ofMinutes(2))
 *     .build();
 * }</pre>
 *
 * <p>Every run is bounded twice: by {@link #maxRequests()} and by {@link #maxDuration()}, whichever
 * comes first; a refused connection stops it at once.
 */
@Value.Immutable
@SdkStyle
public interface LoadTestOptions {
  /** The OpenAI-compatible API to call. */
  enum Api {
    /** {@code POST /v1/completions} with a {@code prompt}. */
    COMPLETIONS("/v1/completions"),
    /** {@code POST /v1/chat/completions} with one user message. */
    CHAT_COMPLETIONS("/v1/chat/completions");

    private final String path;

    Api(String path) {
      this.path = path;
    }

    /** Returns the request path. */
    public String path() {
      return path;
    }
  }

  /** How requests arrive. */
  enum Mode {
    /** Poisson arrivals at {@link #ratePerSecond()}, whatever the server's latency (open loop). */
    OPEN_LOOP,
    /** {@link #concurrency()} users, each sending its next request when the last one ends. */
    CLOSED_LOOP
  }

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from these options. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The server's base URL, for example {@code http://127.0.0.1:8000}; the API path is added. */
  URI baseUrl();

  /** The model name sent in each request. */
  String model();

  /** Which API to call; default chat completions. */
  @Value.Default
  default Api api() {
    return Api.CHAT_COMPLETIONS;
  }

  /** Whether to stream tokens as server-sent events; default true (needed for TTFT). */
  @Value.Default
  default boolean streaming() {
    return true;
  }

  /** The arrival mode; default closed loop. */
  @Value.Default
  default Mode mode() {
    return Mode.CLOSED_LOOP;
  }

  /** Users in closed-loop mode; default 1. */
  @Value.Default
  default int concurrency() {
    return 1;
  }

  /**
   * Closed loop only: user {@code i} of {@code n} starts {@code i * rampUp / n} after the run
   * starts, so that users do not send in lock-step bursts; default zero (all start at once).
   */
  @Value.Default
  default Duration rampUp() {
    return Duration.ZERO;
  }

  /** Mean arrival rate in open-loop mode, requests per second; default 1. */
  @Value.Default
  default double ratePerSecond() {
    return 1.0;
  }

  /**
   * The most requests in flight in open-loop mode; arrivals beyond it are counted as {@link
   * ErrorKind#CLIENT_SATURATED} instead of sent; default 64.
   */
  @Value.Default
  default int maxInFlight() {
    return 64;
  }

  /** The most requests to send; default 100. */
  @Value.Default
  default int maxRequests() {
    return 100;
  }

  /**
   * Requests at the start whose latencies and successes are not recorded, so that connection set-up
   * and class loading do not skew the percentiles; they count toward {@link #maxRequests()}, and
   * their errors are recorded; default 0.
   */
  @Value.Default
  default int warmupRequests() {
    return 0;
  }

  /** The longest the run may take; default 60 s. */
  @Value.Default
  default Duration maxDuration() {
    return Duration.ofSeconds(60);
  }

  /** The longest one request may take; default 60 s. */
  @Value.Default
  default Duration requestTimeout() {
    return Duration.ofSeconds(60);
  }

  /** Synthetic prompt length in words (about one token each); default 128. */
  @Value.Default
  default int promptTokens() {
    return 128;
  }

  /** Leading words shared by every prompt, to exercise prefix caching; default 0. */
  @Value.Default
  default int sharedPrefixTokens() {
    return 0;
  }

  /** The {@code max_tokens} of each request; default 128. */
  @Value.Default
  default int maxOutputTokens() {
    return 128;
  }

  /** The seed of prompts and arrivals, so that two runs send the same load; default 42. */
  @Value.Default
  default long seed() {
    return 42L;
  }

  /** A bearer token for the endpoint, if it needs one; never printed. */
  @Value.Redacted
  Optional<String> apiKey();

  /** Checks every field at once. */
  @Value.Check
  default void check() {
    Violations v = Violations.root("bench");
    String scheme = baseUrl().getScheme();
    v.require(
        ("http".equals(scheme) || "https".equals(scheme)) && baseUrl().getHost() != null,
        "baseUrl",
        baseUrl(),
        "must be an http or https URL with a host");
    v.require(!model().isBlank(), "model", model(), "must not be empty");
    v.require(concurrency() >= 1, "concurrency", concurrency(), "must be at least 1");
    v.require(
        ratePerSecond() > 0 && Double.isFinite(ratePerSecond()),
        "ratePerSecond",
        ratePerSecond(),
        "must be a positive number of requests per second");
    v.require(
        !rampUp().isNegative() && rampUp().compareTo(maxDuration()) < 0,
        "rampUp",
        rampUp(),
        "must be zero or more and shorter than maxDuration");
    v.require(maxInFlight() >= 1, "maxInFlight", maxInFlight(), "must be at least 1");
    v.require(maxRequests() >= 1, "maxRequests", maxRequests(), "must be at least 1");
    v.require(
        warmupRequests() >= 0 && warmupRequests() < maxRequests(),
        "warmupRequests",
        warmupRequests(),
        "must be zero or more and less than maxRequests");
    v.require(
        !maxDuration().isNegative() && !maxDuration().isZero(),
        "maxDuration",
        maxDuration(),
        "must be positive");
    v.require(
        !requestTimeout().isNegative() && !requestTimeout().isZero(),
        "requestTimeout",
        requestTimeout(),
        "must be positive");
    v.require(promptTokens() >= 1, "promptTokens", promptTokens(), "must be at least 1");
    v.require(
        sharedPrefixTokens() >= 0 && sharedPrefixTokens() <= promptTokens(),
        "sharedPrefixTokens",
        sharedPrefixTokens(),
        "must be between 0 and promptTokens");
    v.require(maxOutputTokens() >= 1, "maxOutputTokens", maxOutputTokens(), "must be at least 1");
    v.throwIfErrors();
  }

  /** Sets closed-loop mode with this many users. */
  final class Builder extends ImmutableLoadTestOptions.Builder {
    /**
     * Selects closed-loop mode with {@code users} concurrent users.
     *
     * @param users the number of users
     * @return this builder
     */
    public Builder closedLoop(int users) {
      return mode(Mode.CLOSED_LOOP).concurrency(users);
    }

    /**
     * Selects open-loop mode with Poisson arrivals at {@code requestsPerSecond}.
     *
     * @param requestsPerSecond the mean arrival rate
     * @return this builder
     */
    public Builder openLoop(double requestsPerSecond) {
      return mode(Mode.OPEN_LOOP).ratePerSecond(requestsPerSecond);
    }
  }
}
