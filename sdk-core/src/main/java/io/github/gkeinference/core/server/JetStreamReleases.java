package io.github.gkeinference.core.server;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JetStream (MaxText engine) releases the SDK renders, with their sourced facts ({@link
 * JetStreamRelease}): images, the MaxText keys the engine server takes, and the metrics it exports.
 *
 * <pre>{@code
 * JetStreamRelease r = JetStreamReleases.forImage(engineImage).orElseThrow();
 * r.unsupported("prometheus_port=9100");   // empty: v0.2.2 takes it
 * }</pre>
 *
 * <p>Only the release of the SDK's default images is listed. Its metrics are the two gauges v0.2.2
 * defines; the latency histograms and request counter the SDK's JetStream monitoring uses were
 * added in JetStream v0.3 ({@code jetstream/core/metrics/prometheus.py} @ v0.3), for which no GKE
 * image is sourced here.
 */
public final class JetStreamReleases {
  /**
   * JetStream v0.2.2 (AI-Hypercomputer/JetStream tag v0.2.2, commit ec26ec24): the engine and HTTP
   * images of the GKE JetStream MaxText tutorial (GoogleCloudPlatform/ai-on-gke
   * tutorials-and-examples/inference-servers/jetstream/maxtext/single-host-inference), whose tag
   * {@code v0.2.2} is read as this JetStream release (an assumption from the matching tag: the
   * images name no commit).
   */
  public static final JetStreamRelease V0_2_2 =
      new JetStreamRelease(
          "v0.2.2",
          List.of(
              "us-docker.pkg.dev/cloud-tpu-images/inference/maxengine-server:v0.2.2",
              "us-docker.pkg.dev/cloud-tpu-images/inference/jetstream-http:v0.2.2"),
          Set.of(
              // AI-Hypercomputer/JetStream docs/online-inference-with-maxtext-engine.md @ v0.2.2
              // (the maxengine_server.py command) and AI-Hypercomputer/maxtext
              // MaxText/configs/base.yml @ 000e9355 (each key with its default)
              "model_name",
              "tokenizer_path",
              "per_device_batch_size",
              "max_prefill_predict_length",
              "max_target_length",
              "ici_fsdp_parallelism",
              "ici_autoregressive_parallelism",
              "ici_tensor_parallelism",
              "scan_layers",
              "weight_dtype",
              "load_parameters_path",
              // AI-Hypercomputer/maxtext MaxText/configs/base.yml @ 000e9355
              "async_checkpointing",
              // AI-Hypercomputer/JetStream
              // docs/observability-prometheus-metrics-in-jetstream-server.md
              // @ v0.2.2 (maxengine_server.py ... prometheus_port=${PROMETHEUS_PORT})
              "prometheus_port"),
          Set.of(
              // AI-Hypercomputer/JetStream jetstream/core/metrics/prometheus.py @ v0.2.2
              "jetstream_prefill_backlog_size", "jetstream_slots_available_percentage"),
          "AI-Hypercomputer/JetStream @ v0.2.2 (docs/online-inference-with-maxtext-engine.md,"
              + " docs/observability-prometheus-metrics-in-jetstream-server.md,"
              + " jetstream/core/metrics/prometheus.py) and AI-Hypercomputer/maxtext"
              + " MaxText/configs/base.yml @ 000e9355");

  private static final List<JetStreamRelease> RELEASES = List.of(V0_2_2);

  private JetStreamReleases() {}

  /** Returns the releases the table lists, oldest first. */
  public static List<JetStreamRelease> releases() {
    return RELEASES;
  }

  /** Returns the release of the SDK's default JetStream images. */
  public static JetStreamRelease defaultRelease() {
    return V0_2_2;
  }

  /**
   * Returns the release whose images include this one, matched without a digest.
   *
   * @param image an image reference, for example the engine image
   * @return the release, or empty for an image the table does not list
   */
  public static Optional<JetStreamRelease> forImage(String image) {
    String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    return RELEASES.stream().filter(r -> r.images().contains(ref)).findFirst();
  }
}
