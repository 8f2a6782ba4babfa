package io.github.gkeinference.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import com.sun.net.httpserver.HttpServer;
import io.github.gkeinference.testing.pubsub.FakePubSub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WorkerTest {
  static final String TOPIC = "projects/my-project/topics/prompts";
  static final String DLQ = "projects/my-project/topics/prompts-dead-letter";
  static final String SUB = "projects/my-project/subscriptions/prompts-sub";
  static final String BUCKET = "results";
  static final int MAX_ATTEMPTS = 5;

  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private FakePubSub pubsub;
  private HttpServer vllm;
  private Storage storage;
  private HttpClient http;

  @BeforeEach
  void start() throws IOException {
    pubsub = FakePubSub.start();
    pubsub.topicAdminClient().createTopic(Topic.newBuilder().setName(TOPIC).build());
    pubsub.topicAdminClient().createTopic(Topic.newBuilder().setName(DLQ).build());
    pubsub
        .subscriptionAdminClient()
        .createSubscription(
            Subscription.newBuilder()
                .setName(SUB)
                .setTopic(TOPIC)
                .setAckDeadlineSeconds(600)
                .setDeadLetterPolicy(
                    DeadLetterPolicy.newBuilder()
                        .setDeadLetterTopic(DLQ)
                        .setMaxDeliveryAttempts(MAX_ATTEMPTS))
                .build());
    vllm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    vllm.createContext(
        "/v1/",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] answer =
              "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Paris\"}}]}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    vllm.start();
    // options are honoured, not refused: the worker writes with a doesNotExist precondition
    storage = LocalStorageHelper.customOptions(false).getService();
    http = HttpClient.newHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vllm.stop(0);
    pubsub.close();
    storage.close();
  }

  private Worker worker(String path) {
    Settings settings =
        new Settings(
            "my-project",
            "prompts-sub",
            "google/gemma-3-1b-it",
            URI.create("http://localhost:" + vllm.getAddress().getPort() + path),
            BUCKET,
            "answers/",
            10,
            4,
            0);
    return new Worker(settings, pubsub.subscriptionAdminClient(), storage, http);
  }

  @Test
  void pullOnce_plainPrompt_callsChatEndpointStoresAnswerAndAcks() {
    String id = pubsub.publish(TOPIC, "What is the capital of France?", Map.of());

    try (Worker w = worker("/v1/chat/completions")) {
      assertThat(w.pullOnce()).isEqualTo(new Worker.Batch(1, 1, 0));
    }

    JsonNode sent = JsonMapper.builder().build().readTree(bodies.get(0));
    assertThat(sent.get("model").asString()).isEqualTo("google/gemma-3-1b-it");
    assertThat(sent.get("messages").get(0).get("content").asString())
        .isEqualTo("What is the capital of France?");
    byte[] stored = storage.readAllBytes(BlobId.of(BUCKET, "answers/" + id + ".json"));
    assertThat(new String(stored, StandardCharsets.UTF_8)).contains("Paris");
    assertThat(pubsub.acked(SUB)).isEqualTo(1);
    assertThat(pubsub.undelivered(SUB)).isZero();
  }

  @Test
  void pullOnce_jsonBody_isSentAsIsWithItsOwnModelToTheCompletionsEndpoint() {
    pubsub.publish(TOPIC, "{\"model\":\"lora-a\",\"prompt\":\"Hi\",\"max_tokens\":8}", Map.of());

    try (Worker w = worker("/v1/completions")) {
      assertThat(w.pullOnce().acked()).isEqualTo(1);
    }

    JsonNode sent = JsonMapper.builder().build().readTree(bodies.get(0));
    assertThat(sent.get("model").asString()).isEqualTo("lora-a");
    assertThat(sent.get("prompt").asString()).isEqualTo("Hi");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(8);
  }

  @Test
  void pullOnce_serverFailsEveryTime_nacksUntilPubSubDeadLettersTheMessage() {
    status.set(503);
    String id = pubsub.publish(TOPIC, "prompt", Map.of());

    try (Worker w = worker("/v1/chat/completions")) {
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        assertThat(w.pullOnce()).as("attempt %d", attempt).isEqualTo(new Worker.Batch(1, 0, 1));
      }
      // after the last attempt Pub/Sub forwarded it; nothing is left to pull
      assertThat(w.pullOnce().pulled()).isZero();
    }

    assertThat(bodies).hasSize(MAX_ATTEMPTS);
    assertThat(pubsub.published(DLQ)).hasSize(1);
    assertThat(pubsub.published(DLQ).get(0).getData().toStringUtf8()).isEqualTo("prompt");
    assertThat(pubsub.acked(SUB)).isZero();
    assertThat(storage.get(BlobId.of(BUCKET, "answers/" + id + ".json"))).isNull();
  }

  @Test
  void pullOnce_serverRecovers_redeliveredMessageIsAnsweredAndAcked() {
    status.set(500);
    pubsub.publish(TOPIC, "prompt", Map.of());

    try (Worker w = worker("/v1/chat/completions")) {
      assertThat(w.pullOnce().nacked()).isEqualTo(1);
      status.set(200);
      assertThat(w.pullOnce().acked()).isEqualTo(1);
    }

    assertThat(pubsub.published(DLQ)).isEmpty();
  }

  @Test
  void pullOnce_answerAlreadyStored_acksWithoutOverwriting() {
    String id = pubsub.publish(TOPIC, "prompt", Map.of());
    BlobInfo earlier = BlobInfo.newBuilder(BlobId.of(BUCKET, "answers/" + id + ".json")).build();
    storage.create(earlier, "earlier answer".getBytes(StandardCharsets.UTF_8));

    try (Worker w = worker("/v1/chat/completions")) {
      assertThat(w.pullOnce().acked()).isEqualTo(1);
    }

    assertThat(new String(storage.readAllBytes(earlier.getBlobId()), StandardCharsets.UTF_8))
        .isEqualTo("earlier answer");
  }

  @Test
  void pullOnce_brokenJson_isNackedWithoutCallingTheServer() {
    pubsub.publish(TOPIC, "{\"prompt\": ", Map.of());

    try (Worker w = worker("/v1/completions")) {
      assertThat(w.pullOnce().nacked()).isEqualTo(1);
    }

    assertThat(bodies).isEmpty();
  }

  @Test
  void settingsFromEnv_missingVariables_areAllNamed() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("BATCH_SIZE", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PROJECT_ID")
        .hasMessageContaining("PUBSUB_SUBSCRIPTION_ID")
        .hasMessageContaining("MODEL_ID")
        .hasMessageContaining("VLLM_API_ENDPOINT")
        .hasMessageContaining("RESULTS_BUCKET")
        .hasMessageContaining("BATCH_SIZE must be an integer");
  }

  @Test
  void settingsFromEnv_readsWhatAsyncInferenceRenders() {
    Settings s =
        Settings.fromEnv(
            Map.of(
                "PROJECT_ID", "my-project",
                "PUBSUB_SUBSCRIPTION_ID", "prompts-sub",
                "MODEL_ID", "google/gemma-3-1b-it",
                "VLLM_API_ENDPOINT", "http://vllm.async.svc.cluster.local:8000/v1/chat/completions",
                "RESULTS_BUCKET", "results",
                "BATCH_SIZE", "100",
                "MAX_CONCURRENT_REQUESTS", "50",
                "HEALTH_PORT", "8080"));

    assertThat(s.subscriptionName()).isEqualTo(SUB);
    assertThat(s.chat()).isTrue();
    assertThat(s.maxConcurrentRequests()).isEqualTo(50);
    assertThat(s.healthPort()).isEqualTo(8080);
    assertThat(s.resultsPrefix()).isEqualTo("results/");
  }
}
