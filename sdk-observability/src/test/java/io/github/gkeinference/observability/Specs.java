package io.github.gkeinference.observability;

import java.time.Duration;
import java.util.List;

/** Monitoring specs used across tests. */
public final class Specs {
  private Specs() {}

  /** vLLM "vllm" in "inference", p99 TTFT objective 2 s, one notification channel. */
  public static InferenceMonitoring vllm() {
    return InferenceMonitoring.builder()
        .projectId("my-project")
        .server(ModelServer.VLLM)
        .workload(Fixtures.vllmServer().workload())
        .latencyObjective(Duration.ofSeconds(2))
        .addNotificationChannels("projects/my-project/notificationChannels/123")
        .build();
  }

  /** JetStream "jetstream" in "tpu". */
  public static InferenceMonitoring jetstream() {
    return InferenceMonitoring.builder()
        .projectId("my-project")
        .server(ModelServer.JETSTREAM)
        .workload(Fixtures.jetstreamServer(List.of("--prometheus_port=9100")).workload())
        .build();
  }
}
