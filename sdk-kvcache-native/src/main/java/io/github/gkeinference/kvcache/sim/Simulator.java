package io.github.gkeinference.kvcache.sim;

import io.github.gkeinference.kvcache.KvCache;
import io.github.gkeinference.kvcache.KvCacheLayout;
import io.github.gkeinference.kvcache.KvDtype;
import io.github.gkeinference.kvcache.KvStatus;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import io.github.gkeinference.kvcache.prefix.HashAlgorithm;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replays a request trace through N KV caches behind a router, in fixed scheduler steps.
 *
 * <p>Each step: arrivals up to the current time are routed; every replica appends one token to each
 * running request, oldest first (when an append finds no free block, the most recently admitted
 * request is preempted, as in vLLM: freed and put back at the head of its queue, to be recomputed);
 * finished requests are freed; then waiting requests are admitted first come first served until the
 * batch is full or a request cannot get its blocks. The caches are real {@link KvCache}s (with a
 * one-element layout, since only blocks matter), so prefix hits, lazy eviction and block accounting
 * are exactly the cache's.
 *
 * {@snippet :
 * SimulationReport report = Simulator.builder()
 *     .replicas(4).blocksPerReplica(1024).policy(RoutingPolicy.PREFIX_AWARE)
 *     .build()
 *     .run(TraceGenerator.builder().seed(1).build().generate());
 * double hitRate = report.prefixHitRate();
 * }
 */
public final class Simulator {

  private final int replicas;
  private final int blocksPerReplica;
  private final int blockSize;
  private final int maxBatch;
  private final int stepMillis;
  private final RoutingPolicy policy;
  private final HashAlgorithm hashAlgorithm;

  private Simulator(Builder b) {
    this.replicas = b.replicas;
    this.blocksPerReplica = b.blocksPerReplica;
    this.blockSize = b.blockSize;
    this.maxBatch = b.maxBatch;
    this.stepMillis = b.stepMillis;
    this.policy = b.policy;
    this.hashAlgorithm = b.hashAlgorithm;
  }

  /**
   * Starts a builder (2 replicas of 1024 blocks of 16 tokens, batch 64, 20 ms steps, round robin,
   * FAST hashing since simulated requests are trusted).
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private static final class Running {
    final TraceRequest request;
    final int seq;
    int remaining;

    Running(TraceRequest request, int seq) {
      this.request = request;
      this.seq = seq;
      this.remaining = request.outputTokens();
    }
  }

  private static final class Replica {
    final KvCache cache;
    final ArrayDeque<TraceRequest> waiting = new ArrayDeque<>();
    final List<Running> running = new ArrayList<>();
    long requests;
    long completed;
    long preemptions;
    double peak;

    Replica(KvCache cache) {
      this.cache = cache;
    }
  }

  /**
   * Runs the trace to completion.
   *
   * @param trace requests sorted by arrival time
   * @return per-replica statistics
   * @throws IllegalArgumentException if a request can never fit in one replica
   */
  public SimulationReport run(List<TraceRequest> trace) {
    KvCacheLayout layout =
        KvCacheLayout.builder()
            .numLayers(1)
            .numKvHeads(1)
            .headDim(1)
            .blockSize(blockSize)
            .dtype(KvDtype.FP8_E4M3)
            .build();
    int maxTokens = 0;
    for (TraceRequest r : trace) {
      maxTokens = Math.max(maxTokens, r.promptLength() + r.outputTokens());
    }
    if ((long) (maxTokens + blockSize - 1) / blockSize > blocksPerReplica - 1) {
      throw new IllegalArgumentException(
          "trace: a request of "
              + maxTokens
              + " tokens needs more than the "
              + (blocksPerReplica - 1)
              + " usable blocks of a replica");
    }
    List<Replica> reps = new ArrayList<>();
    try {
      for (int i = 0; i < replicas; i++) {
        reps.add(
            new Replica(
                KvCache.builder()
                    .layout(layout)
                    .numBlocks(blocksPerReplica)
                    .maxSequences(maxBatch)
                    .maxTokensPerSequence(Math.max(1, maxTokens))
                    .hashAlgorithm(hashAlgorithm)
                    .build()));
      }
      return simulate(trace, reps);
    } finally {
      for (Replica r : reps) {
        r.cache.close();
      }
    }
  }

  private SimulationReport simulate(List<TraceRequest> trace, List<Replica> reps) {
    int next = 0;
    int rr = 0;
    long now = 0;
    long done = 0;
    int[] one = new int[1];
    while (done < trace.size()) {
      while (next < trace.size() && trace.get(next).arrivalMillis() <= now) {
        TraceRequest r = trace.get(next++);
        Replica target = reps.get(route(r, reps, rr++));
        target.requests++;
        target.waiting.add(r);
      }
      for (Replica rep : reps) {
        KvCache cache = rep.cache;
        for (int i = 0; i < rep.running.size(); i++) {
          Running run = rep.running.get(i);
          one[0] = run.remaining;
          boolean appended = false;
          while (!appended) {
            if (cache.appendTokens(run.seq, one, 0, 1) == KvStatus.OK) {
              appended = true;
            } else {
              // as vLLM: preempt the most recently admitted request (maybe this one) and retry
              Running victim = rep.running.remove(rep.running.size() - 1);
              cache.free(victim.seq);
              rep.waiting.addFirst(victim.request);
              rep.preemptions++;
              if (victim == run) {
                break;
              }
            }
          }
          if (!appended) {
            break;
          }
          if (--run.remaining == 0) {
            cache.free(run.seq);
            rep.running.remove(i--);
            rep.completed++;
            done++;
          }
        }
        while (!rep.waiting.isEmpty() && rep.running.size() < maxBatch) {
          TraceRequest r = rep.waiting.peekFirst();
          int seq = cache.addSequence(r.tokensUnsafe(), 0, r.promptLength(), ExtraKeys.NONE);
          if (seq < 0) {
            rep.preemptions++;
            break;
          }
          rep.waiting.pollFirst();
          rep.running.add(new Running(r, seq));
        }
        rep.peak = Math.max(rep.peak, cache.usage());
      }
      now += stepMillis;
    }
    List<ReplicaStats> stats = new ArrayList<>();
    for (Replica rep : reps) {
      KvCache c = rep.cache;
      stats.add(
          new ReplicaStats(
              rep.requests,
              rep.completed,
              c.queriedTokens(),
              c.hitTokens(),
              c.blockPool().evictions(),
              rep.preemptions,
              rep.peak));
    }
    return new SimulationReport(policy, stats, now);
  }

  private int route(TraceRequest r, List<Replica> reps, int counter) {
    switch (policy) {
      case ROUND_ROBIN -> {
        return Math.floorMod(counter, reps.size());
      }
      case LEAST_KV_USAGE -> {
        int best = 0;
        for (int i = 1; i < reps.size(); i++) {
          Replica a = reps.get(i);
          Replica b = reps.get(best);
          double ua = a.cache.usage();
          double ub = b.cache.usage();
          if (ua < ub || (ua == ub && a.waiting.size() < b.waiting.size())) {
            best = i;
          }
        }
        return best;
      }
      case PREFIX_AWARE -> {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < reps.size(); i++) {
          KvCache c = reps.get(i).cache;
          int cached = c.cachedPrefixLength(r.tokensUnsafe(), 0, r.promptLength(), ExtraKeys.NONE);
          double score = 2.0 * cached / r.promptLength() + (1 - c.usage());
          if (score > bestScore) {
            bestScore = score;
            best = i;
          }
        }
        return best;
      }
      case PRECISE_PREFIX -> {
        int best = 0;
        int bestCached = -1;
        for (int i = 0; i < reps.size(); i++) {
          Replica a = reps.get(i);
          int cached =
              a.cache.cachedPrefixLength(r.tokensUnsafe(), 0, r.promptLength(), ExtraKeys.NONE);
          if (cached > bestCached || (cached == bestCached && lessLoaded(a, reps.get(best)))) {
            bestCached = cached;
            best = i;
          }
        }
        return best;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** Whether {@code a} has fewer waiting plus running requests, or as many and lower KV usage. */
  private static boolean lessLoaded(Replica a, Replica b) {
    int la = a.waiting.size() + a.running.size();
    int lb = b.waiting.size() + b.running.size();
    return la < lb || (la == lb && a.cache.usage() < b.cache.usage());
  }

  /** Builder of {@link Simulator}. */
  public static final class Builder {
    private int replicas = 2;
    private int blocksPerReplica = 1024;
    private int blockSize = KvCacheLayout.DEFAULT_BLOCK_SIZE;
    private int maxBatch = 64;
    private int stepMillis = 20;
    private RoutingPolicy policy = RoutingPolicy.ROUND_ROBIN;
    private HashAlgorithm hashAlgorithm = HashAlgorithm.FAST;

    private Builder() {}

    /**
     * Sets the number of replicas.
     *
     * @param replicas at least 1
     * @return this
     */
    public Builder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    /**
     * Sets the KV blocks per replica (including the null block).
     *
     * @param blocks at least 2
     * @return this
     */
    public Builder blocksPerReplica(int blocks) {
      this.blocksPerReplica = blocks;
      return this;
    }

    /**
     * Sets the tokens per block.
     *
     * @param blockSize at least 1
     * @return this
     */
    public Builder blockSize(int blockSize) {
      this.blockSize = blockSize;
      return this;
    }

    /**
     * Sets the most requests running at once per replica.
     *
     * @param maxBatch at least 1
     * @return this
     */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * Sets the simulated duration of one decode step.
     *
     * @param stepMillis at least 1
     * @return this
     */
    public Builder stepMillis(int stepMillis) {
      this.stepMillis = stepMillis;
      return this;
    }

    /**
     * Sets the routing policy.
     *
     * @param policy policy
     * @return this
     */
    public Builder policy(RoutingPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the block hash.
     *
     * @param hashAlgorithm hash
     * @return this
     */
    public Builder hashAlgorithm(HashAlgorithm hashAlgorithm) {
      this.hashAlgorithm = Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
      return this;
    }

    /**
     * Builds the simulator.
     *
     * @return the simulator
     * @throws IllegalArgumentException naming every invalid setting
     */
    public Simulator build() {
      List<String> errors = new ArrayList<>();
      if (replicas < 1) {
        errors.add("replicas: " + replicas + " must be at least 1");
      }
      if (blocksPerReplica < 2) {
        errors.add("blocksPerReplica: " + blocksPerReplica + " must be at least 2");
      }
      if (blockSize < 1) {
        errors.add("blockSize: " + blockSize + " must be at least 1");
      }
      if (maxBatch < 1) {
        errors.add("maxBatch: " + maxBatch + " must be at least 1");
      }
      if (stepMillis < 1) {
        errors.add("stepMillis: " + stepMillis + " must be at least 1");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("Invalid Simulator: " + String.join("; ", errors));
      }
      return new Simulator(this);
    }
  }
}
