package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.GcsStreamingSource;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.disagg.DisaggregatedServing;

/**
 * Prefill/decode disaggregation: Llama-3.3-70B-Instruct on two prefill and two decode pods, each
 * pod an a3-highgpu-2g (2 x H100 80GB) with tensor parallelism 2, the KV cache handed from prefill
 * to decode over NIXL, llm-d's routing sidecar on the decode pods and the llm-d endpoint picker's
 * P/D profiles behind an internal Inference Gateway.
 *
 * <p>Why this shape: the model's bf16 weights (141 GB) do not fit two H100s with room for a KV
 * cache, so both sides serve them as fp8 ({@code --quantization=fp8}, about 71 GB over two GPUs),
 * leaving most of each pod's 160 GB for the KV cache. Prefill is compute-bound: two smaller pods
 * serve more prompts at once than one larger one. Decode is memory-bound: TP 2 halves the weights
 * each GPU reads per token and leaves room for long decode batches. Both sides share the model, its
 * KV cache dtype and the block size (64): the decode side continues the prefill side's blocks as
 * they are. Use it when long prompts (RAG, agents, summarisation) make prefill stall the other
 * requests' decoding on a shared server.
 */
public final class PdDisaggregation {
  /** The sample's name on the command line. */
  public static final String NAME = "pd-disaggregation";

  static final String MODEL = "meta-llama/Llama-3.3-70B-Instruct";
  static final int MAX_MODEL_LEN = 16384;
  static final int BLOCK_SIZE = 64;

  private PdDisaggregation() {}

  /** One side's server: the same model, flags and machine on both sides. */
  static VllmServer server(String name) {
    return VllmServer.builder()
        .name(name)
        .namespace("inference")
        .modelId(MODEL)
        .source(
            GcsStreamingSource.builder()
                .location(GcsLocation.of("my-project-models", "meta-llama/llama-3.3-70b-instruct"))
                .build())
        .placement(p -> p.accelerator("nvidia-h100-80gb").devices(2).machineType("a3-highgpu-2g"))
        .tensorParallelism(2)
        .quantization("fp8")
        .maxModelLen(MAX_MODEL_LEN)
        .blockSize(BLOCK_SIZE)
        .replicas(2)
        // both sides may read exactly the model bucket
        .workloadIdentity(OnlineInferenceGpu.PROJECT)
        .build();
  }

  /**
   * Returns the sample's spec, which {@code samples/specs/pd-disaggregation.yaml} writes as a spec
   * file.
   *
   * @return the spec
   */
  public static DisaggregatedServing spec() {
    return DisaggregatedServing.builder()
        .name("llama-70b-pd")
        .prefill(s -> s.server(server("llama-70b-prefill")))
        .decode(s -> s.server(server("llama-70b-decode")))
        .proxyOnlySubnet("10.129.0.0/23")
        .build();
  }

  /**
   * Renders the sample.
   *
   * @param options ignored: the model and shapes are fixed
   * @return both pools, the gateway and the scrapes of both sides
   */
  public static RenderedSet render(SampleOptions options) {
    // Managed Prometheus scrapes vLLM on both sides (on decode pods, behind the sidecar's port)
    return SampleScrapes.withPodMonitorings(spec().render());
  }
}
