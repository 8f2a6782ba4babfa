package io.github.gkeinference.subscriber;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container's entry point: reads {@link Settings} from the environment (the only class that
 * does), serves {@code GET /healthz} on {@code HEALTH_PORT}, and runs {@link Worker#pullOnce()}
 * until the process is stopped, waiting {@link #IDLE_WAIT} after a pull that returned nothing.
 * Credentials come from the environment (Workload Identity on GKE).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** The pause after an empty pull. */
  static final Duration IDLE_WAIT = Duration.ofSeconds(1);

  private Main() {}

  /**
   * Runs the worker.
   *
   * @param args ignored
   * @throws IOException when the clients or the health server cannot start
   * @throws InterruptedException when stopped while idle
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    Settings settings = Settings.fromEnv(System.getenv());
    AtomicBoolean running = new AtomicBoolean(true);
    HttpServer health = settings.healthPort() > 0 ? healthServer(settings.healthPort()) : null;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false)));
    Storage storage = StorageOptions.getDefaultInstance().getService();
    try (SubscriptionAdminClient subscriber = SubscriptionAdminClient.create();
        Worker worker = new Worker(settings, subscriber, storage, HttpClient.newHttpClient())) {
      LOG.info("pulling from {}", settings.subscriptionName());
      while (running.get()) {
        Worker.Batch batch = worker.pullOnce();
        if (batch.pulled() == 0) {
          Thread.sleep(IDLE_WAIT.toMillis());
        } else {
          LOG.info("pulled {}, acked {}, nacked {}", batch.pulled(), batch.acked(), batch.nacked());
        }
      }
    } finally {
      if (health != null) {
        health.stop(0);
      }
    }
  }

  static HttpServer healthServer(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/healthz",
        exchange -> {
          byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(ok);
          }
        });
    server.start();
    return server;
  }
}
