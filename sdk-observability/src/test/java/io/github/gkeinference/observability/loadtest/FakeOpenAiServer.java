package io.github.gkeinference.observability.loadtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible server on 127.0.0.1 that streams {@code tokens} chunks: the first after
 * {@code ttftMillis}, each next one {@code itlMillis} later; every {@code failEvery}-th request (if
 * positive) gets HTTP 500 instead.
 */
final class FakeOpenAiServer implements AutoCloseable {
  static {
    // Without TCP_NODELAY, Nagle's algorithm holds each small chunk until the client's delayed ACK
    // (up to 40 ms on Linux) and the measured delays would be the kernel's, not the server's.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  final int ttftMillis;
  final int itlMillis;
  final int tokens;
  final int failEvery;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();

  /** What the server really did (the truth): time to its first flush, and gaps between flushes. */
  final java.util.Queue<Long> sentTtftNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();

  final java.util.Queue<Long> sentGapNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  FakeOpenAiServer(int ttftMillis, int itlMillis, int tokens, int failEvery) throws IOException {
    this.ttftMillis = ttftMillis;
    this.itlMillis = itlMillis;
    this.tokens = tokens;
    this.failEvery = failEvery;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/completions", e -> handle(e, false));
    server.createContext("/v1/chat/completions", e -> handle(e, true));
    server.setExecutor(executor);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange, boolean chat) throws IOException {
    long received = System.nanoTime();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    int n = requests.incrementAndGet();
    if (failEvery > 0 && n % failEvery == 0) {
      failed.incrementAndGet();
      byte[] error = "{\"error\":\"injected\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(500, error.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(error);
      }
      return;
    }
    boolean stream = body.contains("\"stream\":true");
    try (OutputStream out = exchange.getResponseBody()) {
      if (!stream) {
        sleep(ttftMillis + (long) itlMillis * (tokens - 1));
        byte[] whole =
            ("{\"choices\":[{\"text\":\"ok\"}],\"usage\":{\"completion_tokens\":" + tokens + "}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, whole.length);
        out.write(whole);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      long start = System.nanoTime();
      long previous = 0;
      for (int i = 0; i < tokens; i++) {
        // absolute schedule, so that one late wake-up does not shift every later token
        long due = start + (ttftMillis + (long) i * itlMillis) * 1_000_000L;
        sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000L));
        String chunk =
            chat
                ? "{\"choices\":[{\"delta\":{\"content\":\"t" + i + " \"}}]}"
                : "{\"choices\":[{\"text\":\"t" + i + " \"}]}";
        out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        long flushed = System.nanoTime();
        if (i == 0) {
          sentTtftNanos.add(flushed - received);
        } else {
          sentGapNanos.add(flushed - previous);
        }
        previous = flushed;
      }
      out.write(
          ("data: {\"choices\":[],\"usage\":{\"completion_tokens\":" + tokens + "}}\n\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
