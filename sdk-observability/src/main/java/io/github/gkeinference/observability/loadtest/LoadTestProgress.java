package io.github.gkeinference.observability.loadtest;

/**
 * How far a running load test is, as {@link LoadTest#run(LoadTestOptions,
 * java.util.function.Consumer)} reports it about once a second: the counts so far and the current
 * percentiles of the measured (not warm-up) requests, 0 while none has finished.
 *
 * @param requestsSent requests sent so far
 * @param requestsSucceeded requests that succeeded so far
 * @param requestsFailed requests that failed so far (client saturation not counted)
 * @param maxRequests the run's request bound
 * @param ttftP50Ms the median time to first token so far, in milliseconds
 * @param ttftP99Ms the 99th percentile time to first token so far, in milliseconds
 * @param endToEndP50Ms the median end-to-end latency so far, in milliseconds
 * @param endToEndP99Ms the 99th percentile end-to-end latency so far, in milliseconds
 */
public record LoadTestProgress(
    long requestsSent,
    long requestsSucceeded,
    long requestsFailed,
    long maxRequests,
    double ttftP50Ms,
    double ttftP99Ms,
    double endToEndP50Ms,
    double endToEndP99Ms) {

  /** Returns the requests that finished, successfully or not. */
  public long requestsDone() {
    return requestsSucceeded + requestsFailed;
  }
}
