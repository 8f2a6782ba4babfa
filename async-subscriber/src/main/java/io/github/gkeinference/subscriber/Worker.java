package io.github.gkeinference.subscriber;

import com.google.cloud.WriteChannel;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.pubsub.v1.ReceivedMessage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pulls prompts from a Pub/Sub subscription, sends each to the model server's OpenAI-compatible
 * endpoint, writes the answer to {@code gs://RESULTS_BUCKET/RESULTS_PREFIX<message id>.json} and
 * acks; a message whose call or write fails is nacked (its ack deadline set to 0), so Pub/Sub
 * redelivers it and, after the subscription's {@code maxDeliveryAttempts}, forwards it to the
 * dead-letter topic (https://cloud.google.com/pubsub/docs/handling-failures).
 *
 * <p>A message's data is either a JSON object, sent as the request body with {@code model} filled
 * in when absent, or plain text, sent as the user message ({@code /v1/chat/completions}) or the
 * prompt ({@code /v1/completions}). Answers are created only if absent (a {@code doesNotExist}
 * precondition), so the worker needs {@code roles/storage.objectCreator} and nothing more, and a
 * redelivered message whose answer is already stored is acked without overwriting it.
 *
 * <p>The worker does not own the clients it is given and does not close them; {@link #close()}
 * stops its request threads.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How long one model call may take before the message is nacked. */
  static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final Settings settings;
  private final SubscriptionAdminClient subscriber;
  private final Storage storage;
  private final HttpClient http;
  private final ExecutorService requests;

  /**
   * Creates a worker.
   *
   * @param settings the settings
   * @param subscriber the Pub/Sub client that pulls, acks and nacks; not closed
   * @param storage the Cloud Storage client answers are written with; not closed
   * @param http the HTTP client for the model server; not closed
   */
  public Worker(
      Settings settings, SubscriptionAdminClient subscriber, Storage storage, HttpClient http) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.http = Objects.requireNonNull(http, "http");
    this.requests = Executors.newFixedThreadPool(settings.maxConcurrentRequests());
  }

  /** What one pull did. */
  public record Batch(int pulled, int acked, int nacked) {}

  /**
   * Pulls up to {@code BATCH_SIZE} messages and handles them, at most {@code
   * MAX_CONCURRENT_REQUESTS} at a time.
   *
   * @return how many were pulled, acked and nacked
   */
  public Batch pullOnce() {
    List<ReceivedMessage> messages =
        subscriber
            .pull(settings.subscriptionName(), settings.batchSize())
            .getReceivedMessagesList();
    List<Future<Boolean>> done = new ArrayList<>();
    for (ReceivedMessage m : messages) {
      done.add(requests.submit(() -> handle(m)));
    }
    List<String> ack = new ArrayList<>();
    List<String> nack = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      boolean ok;
      try {
        ok = done.get(i).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ok = false;
      } catch (ExecutionException e) {
        LOG.warn("message {} failed", messages.get(i).getMessage().getMessageId(), e.getCause());
        ok = false;
      }
      (ok ? ack : nack).add(messages.get(i).getAckId());
    }
    if (!ack.isEmpty()) {
      subscriber.acknowledge(settings.subscriptionName(), ack);
    }
    if (!nack.isEmpty()) {
      // a deadline of 0 makes the message available again at once: a failed delivery attempt
      subscriber.modifyAckDeadline(settings.subscriptionName(), nack, 0);
    }
    return new Batch(messages.size(), ack.size(), nack.size());
  }

  private boolean handle(ReceivedMessage received) {
    String id = received.getMessage().getMessageId();
    String body;
    try {
      body = requestBody(received.getMessage().getData().toStringUtf8());
    } catch (JacksonException e) {
      LOG.warn("message {} is not valid JSON: {}", id, e.getOriginalMessage());
      return false;
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(settings.endpoint())
                  .timeout(REQUEST_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      LOG.warn("message {}: model server call failed: {}", id, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (response.statusCode() / 100 != 2) {
      LOG.warn("message {}: model server answered HTTP {}", id, response.statusCode());
      return false;
    }
    BlobInfo blob =
        BlobInfo.newBuilder(BlobId.of(settings.resultsBucket(), objectName(id)))
            .setContentType("application/json")
            .build();
    byte[] answer = response.body().getBytes(StandardCharsets.UTF_8);
    try (WriteChannel out = storage.writer(blob, Storage.BlobWriteOption.doesNotExist())) {
      out.write(ByteBuffer.wrap(answer));
    } catch (StorageException e) {
      // Cloud Storage answers 412 Precondition Failed; LocalStorageHelper's fake reports the same
      // refusal as a FileAlreadyExistsException
      if (e.getCode() == 412 || e.getCause() instanceof FileAlreadyExistsException) {
        LOG.info("message {}: answer already stored (redelivery); acking", id);
        return true;
      }
      LOG.warn("message {}: writing gs://{}/{} failed", id, blob.getBucket(), blob.getName(), e);
      return false;
    } catch (IOException e) {
      LOG.warn("message {}: writing gs://{}/{} failed", id, blob.getBucket(), blob.getName(), e);
      return false;
    }
    return true;
  }

  /**
   * Returns the object name of a message's answer.
   *
   * @param messageId the Pub/Sub message id
   * @return {@code RESULTS_PREFIX + messageId + ".json"}
   */
  public String objectName(String messageId) {
    return settings.resultsPrefix() + messageId + ".json";
  }

  /**
   * Returns the request body for a message's data.
   *
   * @param data the message data
   * @return the JSON body
   * @throws JacksonException when data starts like a JSON object but is not one
   */
  String requestBody(String data) {
    String trimmed = data.strip();
    ObjectNode body;
    if (trimmed.startsWith("{")) {
      JsonNode node = JSON.readTree(trimmed);
      if (!(node instanceof ObjectNode o)) {
        throw new IllegalStateException("unreachable: a JSON text starting with { is an object");
      }
      body = o;
    } else {
      body = JSON.createObjectNode();
      if (settings.chat()) {
        body.putArray("messages").addObject().put("role", "user").put("content", data);
      } else {
        body.put("prompt", data);
      }
    }
    if (!body.has("model")) {
      body.put("model", settings.modelId());
    }
    return JSON.writeValueAsString(body);
  }

  @Override
  public void close() {
    requests.shutdownNow();
  }
}
