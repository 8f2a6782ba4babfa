package io.github.gkeinference.accelerators.perf;

import io.github.gkeinference.accelerators.catalog.DevicePerformance;
import io.github.gkeinference.core.model.DataType;
import io.github.gkeinference.core.model.LayerAttention;
import io.github.gkeinference.core.model.MixtureOfExperts;
import io.github.gkeinference.core.model.ModelArchitecture;
import java.util.Optional;

/**
 * Estimates how fast a model serves on accelerators: a roofline model of prefill and decode with
 * tensor-parallel communication, labelled an estimate wherever it is shown.
 *
 * <pre>{@code
 * PerformanceEstimate e = PerformanceModel.estimate(scenario, 32);
 * e.ntpotSeconds();            // time per output token at 32 concurrent sequences
 * Optional<PerformanceEstimate> best = PerformanceModel.maxConcurrency(scenario, 256, 2.0, 0.05);
 * }</pre>
 *
 * <h2>Method</h2>
 *
 * <ul>
 *   <li><b>Peak</b>: the device's dense 8-bit peak when the weights are fp8 (int8 on TPUs) and the
 *       device computes in that format, otherwise its bf16 peak (MXFP4 and int4 weights are
 *       dequantised to bf16 for the matrix multiply).
 *   <li><b>Prefill</b> of one prompt of {@code L} tokens: {@code L * 2 * activeParameters} plus
 *       attention {@code 2 * heads * (headDim + valueHeadDim)} FLOPs per cached token pair
 *       (windowed layers up to their window), over {@code tp * peak * prefillCompute}; at least one
 *       read of the weights; plus its all-reduces and pipeline hops.
 *   <li><b>Decode step</b> of {@code B} sequences at the mean context {@code input + output / 2}:
 *       the larger of (a) the weights read, {@code weights / tp}, with only the experts {@code B}
 *       tokens route to ({@code E * (1 - (1 - k / E)^B)} per MoE layer, uniform routing), plus the
 *       batch's KV cache over the devices that shard it, at {@code memoryBandwidth * decodeMemory},
 *       and (b) {@code B * (2 * activeParameters + attention)} FLOPs at {@code tp * peak *
 *       decodeCompute}; plus the step overhead. Pipeline stages run one after another for one
 *       token, so pipeline parallelism adds memory but not speed (no micro-batch overlap is
 *       assumed: a conservative choice).
 *   <li><b>Communication</b>: two ring all-reduces of {@code tokens * hidden * 2} bytes per layer,
 *       each {@code allReduceLatency + 2 (tp - 1) / tp * bytes / (link * interconnect)}; one
 *       inter-host hop per pipeline boundary.
 *   <li><b>Under load</b>: every sequence is prefilled once per {@code output} decode steps, so
 *       {@code NTPOT = step + B * prefill / output}; output tokens/s {@code = B / NTPOT};
 *       requests/s {@code = tokens/s / output}.
 *   <li><b>Time to first token</b> (an estimate): {@code TTFT = wait + prefill + step}. A new
 *       prompt waits for the prompts ahead of it, which the engine prefills one after another
 *       (vLLM's scheduler serves waiting requests first come, first served inside the step's token
 *       budget). The wait is the mean wait of an M/D/1 queue (Poisson arrivals, deterministic
 *       service; the Pollaczek-Khinchine formula), scaled by Kingman's approximation for arrivals
 *       of another variability ({@link Efficiency#arrivalVariability()}): {@code wait = (ca2 + 0) /
 *       2 * rho / (1 - rho) * prefill}, where the service is one prefill and {@code rho =
 *       requests/s * (B - 1) / B * prefill} is the share of the engine's time spent on the other
 *       sequences' prefills: by the arrival theorem of closed queueing networks a request of a
 *       closed loop of {@code B} clients sees the system as the other {@code B - 1} leave it, so
 *       one sequence never waits. Sources: J. F. C. Kingman, "The single server queue in heavy
 *       traffic", Proc. Cambridge Philos. Soc. 57 (1961); the M/D/1 mean wait is the
 *       Pollaczek-Khinchine formula with zero service variance; M. Reiser and S. S. Lavenberg,
 *       "Mean-value analysis of closed multichain queuing networks", J. ACM 27 (1980).
 * </ul>
 *
 * <p>Stateless and thread-safe; never throws for a valid scenario.
 */
public final class PerformanceModel {
  private static final double ACTIVATION_BYTES = 2; // bf16 activations on the wire

  private PerformanceModel() {}

  /**
   * Estimates a scenario at one concurrency.
   *
   * @param s the scenario
   * @param concurrency sequences decoding at once; at least 1
   * @return the estimate
   * @throws IllegalArgumentException when {@code concurrency < 1}
   */
  public static PerformanceEstimate estimate(ServingScenario s, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    return new Prepared(s).at(concurrency);
  }

  /**
   * A scenario with every quantity that does not depend on the concurrency computed once, so that
   * the search over concurrencies is arithmetic only.
   */
  private static final class Prepared {
    private final ServingScenario s;
    private final DevicePerformance d;
    private final Efficiency e;
    private final int tp;
    private final double peak;
    private final double bytesPerParameter;
    private final double activeFlopsPerToken;
    private final double prefill;
    private final double kvBytesPerSequence;
    private final double attentionFlopsPerToken;
    private final ExpertReads reads;

    Prepared(ServingScenario s) {
      this.s = s;
      ModelArchitecture a = s.architecture();
      this.d = s.device();
      this.e = s.efficiency();
      this.tp = s.tensorParallelism();
      this.peak = peak(d, s.weightDtype());
      long total = a.totalParameters();
      // Embeddings and attention may be kept in higher precision (gpt-oss): the average bytes.
      this.bytesPerParameter = (double) a.weightBytes(s.weightDtype()) / total;
      this.activeFlopsPerToken = 2.0 * a.activeParameters();

      // Prefill of one prompt.
      int in = s.inputTokens();
      double prefillFlops = in * activeFlopsPerToken + attentionFlops(a, prefillPairs(a, in));
      double prefillCompute = prefillFlops / (tp * peak * e.prefillCompute());
      double prefillMemory =
          total * bytesPerParameter / (tp * d.memoryBandwidth() * e.decodeMemory());
      this.prefill =
          Math.max(prefillCompute, prefillMemory)
              + communication(s, in)
              + pipelineHops(s, in)
              + e.stepOverheadSeconds();

      // Per sequence in a decode step, at the mean context.
      long context = Math.round(in + s.outputTokens() / 2.0);
      int kvShards = a.mla().isPresent() ? 1 : Math.min(tp, a.numKeyValueHeads());
      this.kvBytesPerSequence = (double) a.kvCacheBytes(s.kvCacheDtype(), context) / kvShards;
      this.attentionFlopsPerToken = attentionFlops(a, decodePairs(a, context));

      this.reads = ExpertReads.of(a);
    }

    PerformanceEstimate at(int b) {
      double weightsRead = reads.at(b) * bytesPerParameter;
      double memory =
          (weightsRead / tp + b * kvBytesPerSequence) / (d.memoryBandwidth() * e.decodeMemory());
      double decodeFlops = b * (activeFlopsPerToken + attentionFlopsPerToken);
      double compute = decodeFlops / (tp * peak * e.decodeCompute());
      double comm = communication(s, b);
      double step = Math.max(memory, compute) + comm + pipelineHops(s, b) + e.stepOverheadSeconds();
      double ntpot = step + b * prefill / s.outputTokens();
      double tokensPerSecond = b / ntpot;
      double requestsPerSecond = tokensPerSecond / s.outputTokens();
      double wait = queueWait(b, requestsPerSecond);
      return PerformanceEstimate.builder()
          .concurrency(b)
          .prefillSeconds(prefill)
          .decodeStepSeconds(step)
          .communicationSeconds(comm)
          .memoryBound(memory >= compute)
          .queueSeconds(wait)
          .ttftSeconds(wait + prefill + step)
          .ntpotSeconds(ntpot)
          .outputTokensPerSecond(tokensPerSecond)
          .requestsPerSecond(requestsPerSecond)
          .build();
    }

    /**
     * The mean wait of a new prompt for the prefills ahead of it (Kingman's approximation of a
     * G/D/1 queue; M/D/1 with the default {@link Efficiency#arrivalVariability()}). One sequence
     * never waits for another: its arrivals are its own completions.
     */
    private double queueWait(int b, double requestsPerSecond) {
      if (b == 1) {
        return 0;
      }
      // The other b - 1 sequences bring the prefills a new prompt can wait for.
      double rho = requestsPerSecond * (b - 1) / b * prefill;
      return e.arrivalVariability() / 2 * rho / (1 - rho) * prefill;
    }
  }

  /**
   * Finds the largest concurrency up to {@code limit} whose estimate meets both targets. TTFT and
   * NTPOT grow with concurrency, so the search is a bisection.
   *
   * @param s the scenario
   * @param limit the most sequences the replica can hold (KV cache, {@code --max-num-seqs})
   * @param ttftTargetSeconds the TTFT target
   * @param ntpotTargetSeconds the NTPOT target
   * @return the estimate at that concurrency, or empty when even one sequence misses a target or
   *     {@code limit < 1}
   */
  public static Optional<PerformanceEstimate> maxConcurrency(
      ServingScenario s, int limit, double ttftTargetSeconds, double ntpotTargetSeconds) {
    if (limit < 1) {
      return Optional.empty();
    }
    Prepared prepared = new Prepared(s);
    PerformanceEstimate one = prepared.at(1);
    if (!meets(one, ttftTargetSeconds, ntpotTargetSeconds)) {
      return Optional.empty();
    }
    int lo = 1;
    int hi = limit;
    PerformanceEstimate best = one;
    while (lo < hi) {
      int mid = lo + (hi - lo + 1) / 2;
      PerformanceEstimate e = prepared.at(mid);
      if (meets(e, ttftTargetSeconds, ntpotTargetSeconds)) {
        lo = mid;
        best = e;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.of(best);
  }

  private static boolean meets(PerformanceEstimate e, double ttft, double ntpot) {
    return e.ttftSeconds() <= ttft && e.ntpotSeconds() <= ntpot;
  }

  /** Returns the peak FLOP/s the matrix multiplies of these weights run at. */
  static double peak(DevicePerformance d, DataType weights) {
    boolean fp8 = weights == DataType.FP8_E4M3 || weights == DataType.FP8_E5M2;
    if (fp8 && d.eightBitFormat().equals("fp8") && d.peak8BitFlops() > 0) {
      return d.peak8BitFlops();
    }
    if (weights == DataType.INT8 && d.eightBitFormat().equals("int8") && d.peak8BitFlops() > 0) {
      return d.peak8BitFlops();
    }
    return d.peakBf16Flops();
  }

  /**
   * Returns the parameters one decode step reads: all but the routed experts, plus the experts
   * {@code batch} tokens are expected to route to.
   */
  static double weightsReadPerStep(ModelArchitecture a, int batch) {
    return ExpertReads.of(a).at(batch);
  }

  /**
   * The parameters a decode step reads as a function of the batch: all but the routed experts, plus
   * {@code E * (1 - (1 - k / E)^batch)} experts per MoE layer (uniform routing).
   */
  private record ExpertReads(double fixed, double perExpertAllLayers, double experts, double k) {
    static ExpertReads of(ModelArchitecture a) {
      if (a.moe().isEmpty()) {
        return new ExpertReads(a.totalParameters(), 0, 1, 1);
      }
      MixtureOfExperts m = a.moe().get();
      int moeLayers = 0;
      for (int i = 0; i < a.numLayers(); i++) {
        if (m.isMoeLayer(i)) {
          moeLayers++;
        }
      }
      double perExpertAllLayers = moeLayers * 3.0 * a.hiddenSize() * m.expertIntermediateSize();
      return new ExpertReads(
          a.totalParameters() - perExpertAllLayers * m.numExperts(),
          perExpertAllLayers,
          m.numExperts(),
          m.expertsPerToken());
    }

    double at(int batch) {
      return fixed + perExpertAllLayers * experts * (1 - Math.pow(1 - k / experts, batch));
    }
  }

  /** Returns the attention FLOPs for {@code pairs} (query, cached key) pairs summed over layers. */
  private static double attentionFlops(ModelArchitecture a, double layerPairs) {
    return 2.0 * a.numAttentionHeads() * (a.headDim() + a.valueHeadDim()) * layerPairs;
  }

  /** Query-key pairs of a causal prefill of {@code n} tokens, summed over layers. */
  private static double prefillPairs(ModelArchitecture a, long n) {
    double pairs = 0;
    for (int i = 0; i < a.numLayers(); i++) {
      LayerAttention la = a.attention(i);
      if (la.isFull() || n <= la.window()) {
        pairs += n * (n + 1) / 2.0;
      } else {
        long w = la.window();
        pairs += w * (w + 1) / 2.0 + (double) (n - w) * w;
      }
    }
    return pairs;
  }

  /** Query-key pairs of one decoded token at {@code context}, summed over layers. */
  private static double decodePairs(ModelArchitecture a, long context) {
    double pairs = 0;
    for (int i = 0; i < a.numLayers(); i++) {
      pairs += a.attention(i).cachedTokens(context);
    }
    return pairs;
  }

  /** The tensor-parallel all-reduces of one forward pass over {@code tokens} tokens. */
  static double communication(ServingScenario s, long tokens) {
    int tp = s.tensorParallelism();
    if (tp == 1) {
      return 0;
    }
    Efficiency e = s.efficiency();
    double bytes = tokens * s.architecture().hiddenSize() * ACTIVATION_BYTES;
    double ring =
        2.0 * (tp - 1) / tp * bytes / (s.device().interconnectBandwidth() * e.interconnect());
    return 2.0 * s.architecture().numLayers() * (e.allReduceLatencySeconds() + ring);
  }

  private static double pipelineHops(ServingScenario s, long tokens) {
    int hops = s.pipelineParallelism() - 1;
    if (hops == 0) {
      return 0;
    }
    Efficiency e = s.efficiency();
    double bytes = tokens * s.architecture().hiddenSize() * ACTIVATION_BYTES;
    return hops * (e.interHostHopSeconds() + bytes / e.interHostBandwidth());
  }
}
