package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.accelerators.plan.FitPlan;
import io.github.gkeinference.accelerators.plan.FitRequest;
import io.github.gkeinference.core.validate.Violations;

/**
 * How many requests of a traffic profile one replica runs at once, read from a fit plan: the KV
 * cache blocks the plan leaves, divided by the blocks one request holds, capped by vLLM's {@code
 * --max-num-seqs}.
 *
 * <pre>{@code
 * FitPlan plan = FitPlanner.planOn(request, "nvidia-l4", 1);
 * PlannedConcurrency c = PlannedConcurrency.of(request, plan, traffic);
 * c.concurrentSequences(); // 25 for Llama-3.1-8B on one L4 with 1024 + 256 tokens per request
 * }</pre>
 *
 * <h2>The formula</h2>
 *
 * <pre>
 * tokensPerRequest  = ceil(mean prompt tokens + mean output tokens)
 * blocksPerRequest  = ceil(tokensPerRequest / plan.blockSize)
 * kvSequences       = floor(plan.kvBlocks / blocksPerRequest)
 * concurrentSequences = min(request.maxNumSeqs, kvSequences)
 * </pre>
 *
 * <p>Sources:
 *
 * <ul>
 *   <li>{@code plan.kvBlocks = floor(kvCacheMemory / bytesPerBlock)} is vLLM's {@code
 *       get_num_blocks} (vllm-project/vllm {@code vllm/v1/core/kv_cache_utils.py}, as computed by
 *       the {@code FitPlanner}); a block holds {@code blockSize} tokens of every layer, and a
 *       request holds whole blocks ({@code cdiv(tokens, block_size)}, the same section).
 *   <li>vLLM v1's scheduler sets {@code max_num_running_reqs = scheduler_config.max_num_seqs} and
 *       admits no waiting request while {@code len(running) == max_num_running_reqs} ({@code
 *       vllm/v1/core/sched/scheduler.py}, vllm-project/vllm, read with the search tool), so {@code
 *       --max-num-seqs} bounds the batch whatever the KV cache holds.
 * </ul>
 *
 * <p>Approximations, each stated rather than hidden:
 *
 * <ul>
 *   <li>A request is counted with its whole footprint (prompt plus all of its output). vLLM
 *       allocates blocks step by step as tokens are computed ({@code allocate_slots}) and preempts
 *       a running request when none is free, so a running request holds fewer blocks on average and
 *       the real batch can be larger; this estimate errs on the side of fewer sequences. The
 *       step-by-step allocation was read from excerpts of the scheduler, not measured here.
 *   <li>The mean of the token distributions is used, not their spread.
 *   <li>Prefix caching (on by default in vLLM) shares blocks between requests with a common prefix;
 *       it is not counted.
 *   <li>Sliding-window layers are counted as if they held every token (the plan's {@code
 *       bytesPerBlock} covers all layers), which again errs on the side of fewer sequences.
 * </ul>
 *
 * @param tokensPerRequest the KV tokens one request holds when it finishes
 * @param blocksPerRequest the KV blocks one request holds
 * @param kvSequences requests whose blocks fit in the plan's KV cache at once
 * @param maxNumSeqs vLLM's {@code --max-num-seqs} from the fit request
 * @param concurrentSequences {@code min(maxNumSeqs, kvSequences)}
 */
public record PlannedConcurrency(
    int tokensPerRequest,
    long blocksPerRequest,
    long kvSequences,
    int maxNumSeqs,
    int concurrentSequences) {

  /**
   * Computes the concurrency of a plan for a traffic profile.
   *
   * @param request the fit request the plan was made for (its {@code maxNumSeqs} and block size)
   * @param plan a plan from {@code FitPlanner} for that request
   * @param traffic the traffic whose token counts size one request
   * @return the concurrency
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every problem: an
   *     infeasible plan, a plan whose block size differs from the request's, requests longer than
   *     the plan's max model len
   */
  public static PlannedConcurrency of(FitRequest request, FitPlan plan, TrafficProfile traffic) {
    Violations v = Violations.root("capacity");
    PlannedConcurrency c = compute(request, plan, traffic, v);
    v.throwIfErrors();
    return c;
  }

  static PlannedConcurrency compute(
      FitRequest request, FitPlan plan, TrafficProfile traffic, Violations v) {
    v.require(
        plan.feasible(),
        "plan",
        plan.accelerator(),
        "must be a feasible plan; this one is not: " + String.join("; ", plan.reasons()));
    v.require(
        plan.blockSize() == request.blockSize(),
        "plan.blockSize",
        plan.blockSize(),
        "must equal the fit request's block size (" + request.blockSize() + ")");
    long longest = (long) traffic.promptTokens().max() + traffic.outputTokens().max();
    v.require(
        longest <= plan.maxModelLen(),
        "traffic.tokensPerRequest",
        longest,
        "the longest request (prompt max + output max) must be at most the plan's max model len ("
            + plan.maxModelLen()
            + "), the longest sequence a server from this plan serves");
    int tokens = (int) Math.ceil(traffic.promptTokens().mean() + traffic.outputTokens().mean());
    int blockSize = Math.max(1, plan.blockSize());
    long blocks = Math.max(1, ((long) tokens + blockSize - 1) / blockSize);
    long kvSequences = plan.kvBlocks() / blocks;
    int concurrent = (int) Math.min(request.maxNumSeqs(), kvSequences);
    return new PlannedConcurrency(tokens, blocks, kvSequences, request.maxNumSeqs(), concurrent);
  }
}
