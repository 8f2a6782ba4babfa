package io.github.gkeinference.autoscaling.simulation;

import io.github.gkeinference.autoscaling.InferenceAutoscaler;
import io.github.gkeinference.autoscaling.ScalingMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** One run of an {@link HpaSimulation}; see there for the model. */
final class Simulator {
  /** Time-to-first-token histogram resolution, in seconds. */
  static final double TTFT_BUCKET_SECONDS = 0.05;

  private static final int TTFT_BUCKETS = 12_000; // 600 s

  private final HpaSimulation spec;

  Simulator(HpaSimulation spec) {
    this.spec = spec;
  }

  SimulationResult run() {
    InferenceAutoscaler autoscaler = spec.autoscaler();
    ReplicaCapacity capacity = spec.capacity();
    TrafficProfile traffic = spec.traffic();
    ServiceObjective objective = spec.objective();
    int slots = capacity.maxConcurrentSequences();
    double[] rates = traffic.ratePerSecond();
    int duration = rates.length;
    List<ScalingMetric> metrics = autoscaler.metrics();
    HpaController hpa =
        new HpaController(
            autoscaler.minReplicas(),
            autoscaler.maxReplicas(),
            autoscaler.behavior().scaleUp(),
            autoscaler.behavior().scaleDown());
    SplittableRandom random = new SplittableRandom(spec.seed());

    // completions wheel: requests finishing at second t are at wheel[t % wheel.length]
    double maxService =
        traffic.promptTokens().max() / capacity.prefillTokensPerSecond()
            + traffic.outputTokens().max() * capacity.timePerOutputTokenAtFullBatchSeconds();
    long[] wheel = new long[(int) Math.ceil(maxService) + 2];

    // FIFO queue of arrival cohorts
    int queueCapacity = 1024;
    long[] qCount = new long[queueCapacity];
    int[] qArrival = new int[queueCapacity];
    int[] qPrompt = new int[queueCapacity];
    int[] qOutput = new int[queueCapacity];
    int qHead = 0;
    int qSize = 0;
    long queued = 0;
    long running = 0;

    int ready = spec.initialReplicas();
    // pods starting, as the seconds they become ready, oldest first
    long[] starting = new long[Math.max(16, autoscaler.maxReplicas() * 2)];
    int startingCount = 0;

    int lag = spec.metricDelaySeconds();
    long[] queuedHistory = new long[lag + 1];
    long[] runningHistory = new long[lag + 1];
    int[] readyHistory = new int[lag + 1];

    long[] ttftHistogram = new long[TTFT_BUCKETS + 1];
    long total = 0;
    long met = 0;
    double replicaSeconds = 0;
    List<ScaleEvent> events = new ArrayList<>();
    float[] loadSeries = new float[duration];
    int[] replicaSeries = new int[duration];
    int[] readySeries = new int[duration];
    long[] queueSeries = new long[duration];

    for (int t = 0; t < duration; t++) {
      // 1. pods that finished starting begin to serve
      while (startingCount > 0 && starting[0] <= t) {
        System.arraycopy(starting, 1, starting, 0, startingCount - 1);
        startingCount--;
        ready++;
      }

      // 2. arrivals
      long arrivals = poisson(random, rates[t]);
      if (arrivals > 0) {
        if (qSize == queueCapacity) {
          queueCapacity *= 2;
          qCount = grow(qCount, qHead, qSize, queueCapacity);
          qArrival = grow(qArrival, qHead, qSize, queueCapacity);
          qPrompt = grow(qPrompt, qHead, qSize, queueCapacity);
          qOutput = grow(qOutput, qHead, qSize, queueCapacity);
          qHead = 0;
        }
        int tail = (qHead + qSize) % queueCapacity;
        qCount[tail] = arrivals;
        qArrival[tail] = t;
        qPrompt[tail] = traffic.promptTokens().sample(random);
        qOutput[tail] = traffic.outputTokens().sample(random);
        qSize++;
        queued += arrivals;
        total += arrivals;
      }

      // 3. completions
      int slot = t % wheel.length;
      running -= wheel[slot];
      wheel[slot] = 0;

      // 4. admission into free batch slots, oldest first
      long free = (long) ready * slots - running;
      while (free > 0 && qSize > 0) {
        long take = Math.min(free, qCount[qHead]);
        double occupancy = (double) (running + take) / ((long) ready * slots);
        double prefill = qPrompt[qHead] / capacity.prefillTokensPerSecond();
        double tpot = capacity.timePerOutputToken(occupancy);
        double ttft = (t - qArrival[qHead]) + prefill;
        double service = prefill + qOutput[qHead] * tpot;
        int finish = t + Math.max(1, (int) Math.ceil(service));
        wheel[finish % wheel.length] += take;
        running += take;
        queued -= take;
        free -= take;
        ttftHistogram[bucket(ttft)] += take;
        if (objective.met(ttft, tpot)) {
          met += take;
        }
        qCount[qHead] -= take;
        if (qCount[qHead] == 0) {
          qHead = (qHead + 1) % queueCapacity;
          qSize--;
        }
      }

      // 5. what the metrics pipeline sees, delayed
      int h = t % (lag + 1);
      queuedHistory[h] = queued;
      runningHistory[h] = running;
      readyHistory[h] = ready;

      // 6. the HPA
      int specReplicas = ready + startingCount;
      if (t > 0 && t % spec.syncPeriodSeconds() == 0) {
        int seen = t >= lag ? (t - lag) % (lag + 1) : 0;
        int[] proposals = new int[metrics.size()];
        for (int i = 0; i < metrics.size(); i++) {
          proposals[i] =
              proposal(
                  metrics.get(i),
                  specReplicas,
                  queuedHistory[seen],
                  runningHistory[seen],
                  readyHistory[seen],
                  ready,
                  startingCount,
                  slots);
        }
        int desired = hpa.reconcile(t, specReplicas, proposals);
        if (desired != specReplicas) {
          events.add(new ScaleEvent(t, specReplicas, desired));
          if (desired > specReplicas) {
            int add = desired - specReplicas;
            if (startingCount + add > starting.length) {
              starting = java.util.Arrays.copyOf(starting, (startingCount + add) * 2);
            }
            for (int i = 0; i < add; i++) {
              starting[startingCount++] = (long) t + spec.podStartupSeconds();
            }
          } else {
            // the ReplicaSet controller deletes pods that are not ready first
            int remove = specReplicas - desired;
            int fromStarting = Math.min(remove, startingCount);
            startingCount -= fromStarting;
            ready -= remove - fromStarting;
          }
          specReplicas = desired;
        }
      }

      replicaSeconds += specReplicas;
      loadSeries[t] = (float) arrivals;
      replicaSeries[t] = specReplicas;
      readySeries[t] = ready;
      queueSeries[t] = queued;
    }

    // requests still waiting: their first token is at least this late
    for (int i = 0; i < qSize; i++) {
      int q = (qHead + i) % queueCapacity;
      double ttft = (duration - qArrival[q]) + qPrompt[q] / capacity.prefillTokensPerSecond();
      ttftHistogram[bucket(ttft)] += qCount[q];
      if (objective.met(ttft, 0)) {
        met += qCount[q];
      }
    }

    return new SimulationResult(
        objective,
        total,
        met,
        percentile(ttftHistogram, total, objective.percentile()),
        replicaSeconds / 3600.0,
        events,
        loadSeries,
        replicaSeries,
        readySeries,
        queueSeries);
  }

  private int proposal(
      ScalingMetric m,
      int specReplicas,
      long queuedSeen,
      long runningSeen,
      int readySeen,
      int ready,
      int startingPods,
      int slots) {
    double tolerance = spec.tolerance();
    if (m.signal() == ScalingMetric.SignalKind.BACKLOG) {
      return HpaController.externalAverageReplicas(specReplicas, queuedSeen, m.target(), tolerance);
    }
    if (readySeen == 0 || ready == 0) {
      return HpaController.NO_RECOMMENDATION;
    }
    double average =
        switch (m.signal()) {
          case QUEUE -> (double) queuedSeen / readySeen;
          case BATCH -> (double) runningSeen / readySeen;
          case OCCUPANCY -> Math.min(1.0, (double) runningSeen / ((long) readySeen * slots));
          default -> throw new IllegalStateException("not modelled: " + m.signal());
        };
    return HpaController.podMetricReplicas(
        specReplicas, average, ready, startingPods, m.target(), tolerance);
  }

  /** Draws a Poisson count: exact for small means, normal approximation above 30. */
  static long poisson(SplittableRandom random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      long n = Math.round(mean + Math.sqrt(mean) * random.nextGaussian());
      return Math.max(0, n);
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    long n = 0;
    while (product > limit) {
      product *= random.nextDouble();
      n++;
    }
    return n;
  }

  private static int bucket(double ttft) {
    return (int) Math.min(TTFT_BUCKETS, Math.max(0, Math.ceil(ttft / TTFT_BUCKET_SECONDS)));
  }

  private static double percentile(long[] histogram, long total, double p) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        return i == TTFT_BUCKETS ? Double.POSITIVE_INFINITY : i * TTFT_BUCKET_SECONDS;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  private static long[] grow(long[] a, int head, int size, int capacity) {
    long[] b = new long[capacity];
    for (int i = 0; i < size; i++) {
      b[i] = a[(head + i) % a.length];
    }
    return b;
  }

  private static int[] grow(int[] a, int head, int size, int capacity) {
    int[] b = new int[capacity];
    for (int i = 0; i < size; i++) {
      b[i] = a[(head + i) % a.length];
    }
    return b;
  }
}
