package io.github.gkeinference.accelerators.perf;

import io.github.gkeinference.core.model.DataType;
import java.util.Objects;

/**
 * One published serving measurement: what ran (accelerator, layout, model, weights, server,
 * lengths, concurrency), the metric and the published value. The calibration fixture ({@code
 * docs/planning-accuracy.md}) is a list of them.
 *
 * @param id a short unique id
 * @param url the public page that states it
 * @param accelerator the catalog label
 * @param devices accelerators of one replica
 * @param pipelineParallelism pipeline stages of the replica (tensor parallelism is {@code devices /
 *     pipelineParallelism})
 * @param model the model catalog id
 * @param weights the weight dtype served
 * @param server the server and its version
 * @param inputTokens prompt tokens per request
 * @param outputTokens output tokens per request
 * @param concurrency concurrent requests
 * @param metric {@code output_tokens_per_second}, {@code ntpot_ms} or {@code ttft_ms}
 * @param value the published value
 */
public record PublishedMeasurement(
    String id,
    String url,
    String accelerator,
    int devices,
    int pipelineParallelism,
    String model,
    DataType weights,
    String server,
    int inputTokens,
    int outputTokens,
    int concurrency,
    String metric,
    double value) {

  /** Checks that the text fields are present and the value is positive. */
  public PublishedMeasurement {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(accelerator, "accelerator");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(metric, "metric");
    if (!(value > 0)) {
      throw new IllegalArgumentException(id + ": the value must be above 0, was " + value);
    }
  }
}
