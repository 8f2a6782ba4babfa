package io.github.gkeinference.observability.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a load test against an OpenAI-compatible endpoint with the JDK HTTP client and measures what
 * a user of the endpoint sees.
 *
 * <pre>{@code
 * LoadTestReport report = LoadTest.run(options);
 * report.write(Path.of("bench-out"));
 * }</pre>
 *
 * <p>Timing: TTFT runs from sending the request to the first streamed chunk that carries text;
 * inter-token latency is each gap between two such chunks; time per output token is {@code (e2e -
 * ttft) / (tokens - 1)} per request; end to end runs from sending to the last byte. Threads,
 * connections and timers are created per run and released before {@code run} returns.
 */
public final class LoadTest {
  private static final Logger LOG = LoggerFactory.getLogger(LoadTest.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Histograms track up to one hour in microseconds with three significant digits. */
  private static final long MAX_TRACKED_MICROS = 3_600_000_000L;

  private final LoadTestOptions options;
  private final Clock clock;
  private final LongSupplier nanoTime;

  private final Histogram ttft = histogram();
  private final Histogram tpot = histogram();
  private final Histogram itl = histogram();
  private final Histogram e2e = histogram();
  private final Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
  private final Map<ErrorKind, String> firstErrors = new EnumMap<>(ErrorKind.class);
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger warmedUp = new AtomicInteger();
  private final AtomicInteger succeeded = new AtomicInteger();
  private final AtomicInteger cutShort = new AtomicInteger();
  private final AtomicInteger outputTokens = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private volatile @Nullable String stopReason;
  private final AtomicLongArray perSecond;
  private long startNanos;
  private long deadlineNanos;

  private final Consumer<LoadTestProgress> progress;

  LoadTest(LoadTestOptions options, Clock clock, LongSupplier nanoTime) {
    this(options, clock, nanoTime, p -> {});
  }

  LoadTest(
      LoadTestOptions options,
      Clock clock,
      LongSupplier nanoTime,
      Consumer<LoadTestProgress> progress) {
    this.options = options;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.progress = Objects.requireNonNull(progress, "progress");
    this.perSecond = new AtomicLongArray((int) options.maxDuration().toSeconds() + 2);
  }

  /**
   * Runs a load test to its bounds and returns the report; never throws for a failing endpoint
   * (failures are counted in the report).
   *
   * @param options what to send and when to stop
   * @return the report
   */
  public static LoadTestReport run(LoadTestOptions options) {
    return run(options, Clock.systemUTC());
  }

  /**
   * Runs a load test with the given clock for the report's start time.
   *
   * @param options what to send and when to stop
   * @param clock the clock
   * @return the report
   */
  public static LoadTestReport run(LoadTestOptions options, Clock clock) {
    return new LoadTest(options, clock, System::nanoTime).execute();
  }

  /**
   * Runs a load test and reports its progress about once a second while it runs (on a timer thread
   * of the run; the listener should return quickly and not throw).
   *
   * @param options what to send and when to stop
   * @param progress receives the requests done so far and the current latency percentiles
   * @return the report
   */
  public static LoadTestReport run(LoadTestOptions options, Consumer<LoadTestProgress> progress) {
    return new LoadTest(options, Clock.systemUTC(), System::nanoTime, progress).execute();
  }

  /** The progress so far: requests done and the current TTFT and end-to-end percentiles. */
  synchronized LoadTestProgress progress() {
    long failed =
        errors.entrySet().stream()
            .filter(e -> e.getKey() != ErrorKind.CLIENT_SATURATED)
            .mapToLong(Map.Entry::getValue)
            .sum();
    LatencySummary first = LatencySummary.of(ttft);
    LatencySummary whole = LatencySummary.of(e2e);
    return new LoadTestProgress(
        sent.get(),
        succeeded.get(),
        failed,
        options.maxRequests(),
        first.p50Ms(),
        first.p99Ms(),
        whole.p50Ms(),
        whole.p99Ms());
  }

  LoadTestReport execute() {
    Instant startedAt = clock.instant();
    URI target = target();
    LOG.info(
        "load test: {} {} to {}, at most {} requests in {}",
        options.mode(),
        options.mode() == LoadTestOptions.Mode.CLOSED_LOOP
            ? options.concurrency() + " users"
            : options.ratePerSecond() + " req/s",
        target,
        options.maxRequests(),
        options.maxDuration());
    SyntheticPrompts prompts =
        new SyntheticPrompts(options.seed(), options.promptTokens(), options.sharedPrefixTokens());
    int workers =
        options.mode() == LoadTestOptions.Mode.CLOSED_LOOP
            ? options.concurrency()
            : options.maxInFlight();
    ExecutorService httpExecutor = Executors.newCachedThreadPool(daemon("bench-http"));
    ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(daemon("bench-watchdog"));
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers,
            workers,
            1,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemon("bench-worker"),
            new ThreadPoolExecutor.AbortPolicy());
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(min(options.requestTimeout(), Duration.ofSeconds(10)))
            .executor(httpExecutor)
            .build();
    startNanos = nanoTime.getAsLong();
    deadlineNanos = startNanos + options.maxDuration().toNanos();
    watchdog.scheduleAtFixedRate(this::reportProgress, 1, 1, TimeUnit.SECONDS);
    try {
      if (options.mode() == LoadTestOptions.Mode.CLOSED_LOOP) {
        AtomicInteger issued = new AtomicInteger();
        for (int u = 0; u < options.concurrency(); u++) {
          long startAt = startNanos + options.rampUp().toNanos() * u / options.concurrency();
          pool.execute(
              () -> {
                if (!sleepUntil(startAt)) {
                  return;
                }
                int index;
                while (!stop.get()
                    && nanoTime.getAsLong() < deadlineNanos
                    && (index = issued.incrementAndGet()) <= options.maxRequests()) {
                  one(client, watchdog, target, prompts.next(), index > options.warmupRequests());
                }
              });
        }
      } else {
        PoissonArrivals arrivals = new PoissonArrivals(options.seed(), options.ratePerSecond());
        long next = startNanos;
        for (int i = 0; i < options.maxRequests() && !stop.get(); i++) {
          next += arrivals.nextGapNanos();
          if (next >= deadlineNanos || !sleepUntil(next)) {
            break;
          }
          String prompt = prompts.next();
          boolean measured = i >= options.warmupRequests();
          try {
            pool.execute(() -> one(client, watchdog, target, prompt, measured));
          } catch (RejectedExecutionException e) {
            fail(ErrorKind.CLIENT_SATURATED, null, options.maxInFlight() + " requests in flight");
          }
        }
      }
      pool.shutdown();
      long waitNanos = Math.max(0, deadlineNanos - nanoTime.getAsLong()) + 1_000_000_000L;
      if (!pool.awaitTermination(waitNanos, TimeUnit.NANOSECONDS)) {
        LOG.warn("load test: workers still busy after the deadline; abandoning them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop("interrupted");
    } finally {
      pool.shutdownNow();
      watchdog.shutdownNow();
      httpExecutor.shutdownNow();
    }
    long endNanos = nanoTime.getAsLong();
    return report(target, startedAt, (endNanos - startNanos) / 1e9);
  }

  private void reportProgress() {
    try {
      progress.accept(progress());
    } catch (RuntimeException e) {
      LOG.debug("load test: progress listener failed", e);
    }
  }

  private void one(
      HttpClient client,
      ScheduledExecutorService watchdog,
      URI target,
      String prompt,
      boolean measured) {
    long begin = nanoTime.getAsLong();
    long requestDeadline = Math.min(begin + options.requestTimeout().toNanos(), deadlineNanos);
    if (requestDeadline <= begin) {
      return;
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofNanos(requestDeadline - begin))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(prompt), StandardCharsets.UTF_8));
    options.apiKey().ifPresent(k -> request.header("Authorization", "Bearer " + k));
    (measured ? sent : warmedUp).incrementAndGet();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      if (requestDeadline == deadlineNanos && nanoTime.getAsLong() >= deadlineNanos) {
        cutShort.incrementAndGet();
      } else {
        fail(ErrorKind.TIMEOUT, null, "no response headers within the request timeout");
      }
      return;
    } catch (IOException e) {
      if (isConnectionRefused(e)) {
        fail(ErrorKind.CONNECTION_REFUSED, null, "connection refused by " + target.getAuthority());
        stop("connection refused by " + target.getAuthority());
      } else {
        fail(ErrorKind.IO, null, String.valueOf(e));
      }
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    AtomicBoolean expired = new AtomicBoolean();
    InputStream in = response.body();
    ScheduledFuture<?> timer =
        watchdog.schedule(
            () -> {
              expired.set(true);
              closeQuietly(in);
            },
            requestDeadline - nanoTime.getAsLong(),
            TimeUnit.NANOSECONDS);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int status = response.statusCode();
      if (status >= 400) {
        reader.lines().forEach(l -> {}); // drain so the connection can be reused
        fail(status >= 500 ? ErrorKind.HTTP_5XX : ErrorKind.HTTP_4XX, status, "HTTP " + status);
        return;
      }
      if (options.streaming()) {
        stream(reader, begin, measured);
      } else {
        whole(reader, begin, measured);
      }
    } catch (IOException | RuntimeException e) {
      if (expired.get()) {
        if (requestDeadline == deadlineNanos) {
          cutShort.incrementAndGet();
        } else {
          fail(ErrorKind.TIMEOUT, null, "response not complete within the request timeout");
        }
      } else if (e instanceof JacksonException) {
        fail(ErrorKind.PROTOCOL, null, "response is not JSON: " + e.getMessage());
      } else {
        fail(ErrorKind.IO, null, String.valueOf(e));
      }
    } finally {
      timer.cancel(false);
    }
  }

  private void stream(BufferedReader reader, long begin, boolean measured) throws IOException {
    long first = -1;
    long last = -1;
    int chunks = 0;
    int usageTokens = -1;
    boolean done = false;
    List<Long> gaps = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      if (!line.startsWith("data:")) {
        continue;
      }
      String payload = line.substring(5).trim();
      if (payload.equals("[DONE]")) {
        done = true;
        break;
      }
      long now = nanoTime.getAsLong();
      JsonNode chunk = JSON.readTree(payload);
      JsonNode usage = chunk.path("usage");
      if (usage.has("completion_tokens")) {
        usageTokens = usage.path("completion_tokens").asInt();
      }
      if (text(chunk).isEmpty()) {
        continue;
      }
      chunks++;
      if (first < 0) {
        first = now;
      } else {
        gaps.add(now - last);
      }
      last = now;
    }
    if (!done) {
      fail(ErrorKind.PROTOCOL, null, "stream ended before data: [DONE]");
      return;
    }
    long end = nanoTime.getAsLong();
    while (reader.readLine() != null) {
      // read to the end of the body so that the connection goes back to the pool
    }
    int tokens = usageTokens >= 0 ? usageTokens : chunks;
    if (!measured) {
      return;
    }
    synchronized (this) {
      if (first >= 0) {
        ttft.recordValue(micros(first - begin));
        if (tokens > 1) {
          tpot.recordValue(micros((end - first) / (tokens - 1)));
        }
      }
      for (long g : gaps) {
        itl.recordValue(micros(g));
      }
      e2e.recordValue(micros(end - begin));
    }
    succeed(end, tokens);
  }

  private void whole(BufferedReader reader, long begin, boolean measured) throws IOException {
    StringBuilder body = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      body.append(line).append('\n');
    }
    long end = nanoTime.getAsLong();
    JsonNode response = JSON.readTree(body.toString());
    if (!response.path("choices").isArray() || response.path("choices").isEmpty()) {
      fail(ErrorKind.PROTOCOL, null, "response has no choices");
      return;
    }
    if (!measured) {
      return;
    }
    synchronized (this) {
      e2e.recordValue(micros(end - begin));
    }
    succeed(end, response.path("usage").path("completion_tokens").asInt(0));
  }

  private static String text(JsonNode chunk) {
    JsonNode choice = chunk.path("choices").path(0);
    if (choice.has("text")) {
      return choice.path("text").asString("");
    }
    return choice.path("delta").path("content").asString("");
  }

  private String body(String prompt) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", options.model());
    if (options.api() == LoadTestOptions.Api.COMPLETIONS) {
      body.put("prompt", prompt);
    } else {
      ObjectNode message = body.putArray("messages").addObject();
      message.put("role", "user");
      message.put("content", prompt);
    }
    body.put("max_tokens", options.maxOutputTokens());
    body.put("stream", options.streaming());
    if (options.streaming()) {
      body.putObject("stream_options").put("include_usage", true);
    }
    return body.toString();
  }

  private void succeed(long endNanos, int tokens) {
    succeeded.incrementAndGet();
    outputTokens.addAndGet(tokens);
    int second = (int) ((endNanos - startNanos) / 1_000_000_000L);
    if (second >= 0 && second < perSecond.length()) {
      perSecond.incrementAndGet(second);
    }
  }

  private synchronized void fail(ErrorKind kind, @Nullable Integer status, String message) {
    errors.merge(kind, 1L, Long::sum);
    firstErrors.putIfAbsent(kind, message);
    if (status != null) {
      statuses.merge(status, 1L, Long::sum);
    }
  }

  private void stop(String reason) {
    if (stop.compareAndSet(false, true)) {
      stopReason = reason;
      LOG.warn("load test stopped: {}", reason);
    }
  }

  private boolean sleepUntil(long targetNanos) {
    while (!stop.get()) {
      long wait = targetNanos - nanoTime.getAsLong();
      if (wait <= 0) {
        return true;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 50_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop("interrupted");
        return false;
      }
    }
    return false;
  }

  private synchronized LoadTestReport report(URI target, Instant startedAt, double seconds) {
    long failed =
        errors.entrySet().stream()
            .filter(e -> e.getKey() != ErrorKind.CLIENT_SATURATED)
            .mapToLong(Map.Entry::getValue)
            .sum();
    int lastSecond = (int) Math.min(Math.ceil(seconds), perSecond.length());
    List<Long> series = new ArrayList<>();
    for (int i = 0; i < lastSecond; i++) {
      series.add(perSecond.get(i));
    }
    double elapsed = Math.max(seconds, 1e-9);
    return new LoadTestReport(
        target.toString(),
        options.model(),
        options.mode().name(),
        options.streaming(),
        startedAt,
        seconds,
        warmedUp.get(),
        sent.get(),
        succeeded.get(),
        failed,
        cutShort.get(),
        errors,
        statuses,
        firstErrors,
        outputTokens.get(),
        succeeded.get() / elapsed,
        outputTokens.get() / elapsed,
        LatencySummary.of(ttft),
        LatencySummary.of(tpot),
        LatencySummary.of(itl),
        LatencySummary.of(e2e),
        series,
        stopReason);
  }

  private URI target() {
    String base = options.baseUrl().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + options.api().path());
  }

  private static boolean isConnectionRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private static long micros(long nanos) {
    return Math.max(1, Math.min(MAX_TRACKED_MICROS, nanos / 1000));
  }

  private static Histogram histogram() {
    return new Histogram(MAX_TRACKED_MICROS, 3);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      LOG.debug("closing a timed-out response", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
