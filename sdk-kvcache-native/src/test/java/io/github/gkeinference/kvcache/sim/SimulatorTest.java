package io.github.gkeinference.kvcache.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  /** Eight 512-token system prompts: more than one replica's 300 blocks (4800 tokens) can keep. */
  private static List<TraceRequest> sharedPrompts() {
    return TraceGenerator.builder()
        .seed(11)
        .requests(400)
        .systemPrompts(8)
        .systemPromptTokens(512)
        .userTokens(16, 64)
        .outputTokens(8, 32)
        .chatFraction(0)
        .meanInterArrivalMillis(15)
        .build()
        .generate();
  }

  private static SimulationReport run(RoutingPolicy policy, int blocks, List<TraceRequest> trace) {
    return Simulator.builder()
        .replicas(4)
        .blocksPerReplica(blocks)
        .maxBatch(16)
        .policy(policy)
        .build()
        .run(trace);
  }

  @Test
  void run_everyPolicy_completesEveryRequest() {
    List<TraceRequest> trace = sharedPrompts();
    for (RoutingPolicy p : RoutingPolicy.values()) {
      SimulationReport r = run(p, 300, trace);
      assertThat(r.completed()).as(p.name()).isEqualTo(trace.size());
      assertThat(r.replicas().stream().mapToLong(ReplicaStats::requests).sum())
          .isEqualTo(trace.size());
      assertThat(r.replicas()).allSatisfy(s -> assertThat(s.peakUsage()).isBetween(0.0, 1.0));
    }
  }

  @Test
  void run_prefixAware_beatsRoundRobinOnSharedSystemPrompts() {
    List<TraceRequest> trace = sharedPrompts();
    SimulationReport rr = run(RoutingPolicy.ROUND_ROBIN, 300, trace);
    SimulationReport prefix = run(RoutingPolicy.PREFIX_AWARE, 300, trace);
    assertThat(prefix.prefixHitRate()).isGreaterThan(rr.prefixHitRate());
    assertThat(prefix.evictions()).isLessThan(rr.evictions());
  }

  @Test
  void run_sameInputs_sameReport() {
    List<TraceRequest> trace = sharedPrompts();
    assertThat(run(RoutingPolicy.LEAST_KV_USAGE, 300, trace))
        .isEqualTo(run(RoutingPolicy.LEAST_KV_USAGE, 300, trace));
  }

  @Test
  void run_tightMemory_reportsPreemptions() {
    List<TraceRequest> trace = sharedPrompts();
    // 45 usable blocks = 720 tokens: one request of ~600 tokens at a time
    SimulationReport r = run(RoutingPolicy.ROUND_ROBIN, 46, trace);
    assertThat(r.completed()).isEqualTo(trace.size());
    assertThat(r.preemptions()).isPositive();
  }

  @Test
  void run_requestLargerThanAReplica_isRejectedUpFront() {
    List<TraceRequest> trace = List.of(new TraceRequest(0, new int[100], 10, -1, -1));
    assertThatThrownBy(() -> Simulator.builder().blocksPerReplica(4).build().run(trace))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("110 tokens");
  }

  /** A prompt of {@code length} tokens counting up from {@code first}: distinct per first. */
  private static int[] prompt(int first, int length) {
    int[] t = new int[length];
    for (int i = 0; i < length; i++) {
      t[i] = first + i;
    }
    return t;
  }

  private static SimulationReport twoReplicas(RoutingPolicy policy, List<TraceRequest> trace) {
    return Simulator.builder()
        .replicas(2)
        .blocksPerReplica(64)
        .maxBatch(8)
        .policy(policy)
        .build()
        .run(trace);
  }

  @Test
  void run_precisePrefix_noHitAnywhere_spreadsByLoad() {
    // four unrelated prompts at once: no replica holds any prefix, so load decides, 2 and 2
    List<TraceRequest> trace = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      trace.add(new TraceRequest(0, prompt(1000 * (i + 1), 64), 4, -1, -1));
    }
    SimulationReport precise = twoReplicas(RoutingPolicy.PRECISE_PREFIX, trace);
    assertThat(precise.replicas()).extracting(ReplicaStats::requests).containsExactly(2L, 2L);
    // the blended prefix-aware score has no load term: equal scores all go to the first replica
    SimulationReport blended = twoReplicas(RoutingPolicy.PREFIX_AWARE, trace);
    assertThat(blended.replicas()).extracting(ReplicaStats::requests).containsExactly(4L, 0L);
  }

  @Test
  void run_precisePrefix_sendsARequestToTheReplicaHoldingItsPrefix_evenWhenBusier() {
    int[] shared = prompt(5000, 64);
    int[] longer = new int[96];
    System.arraycopy(shared, 0, longer, 0, 64);
    System.arraycopy(prompt(9000, 32), 0, longer, 64, 32);
    List<TraceRequest> trace =
        List.of(
            // replica 0 (the tie's lowest index) gets the shared prompt and keeps generating
            new TraceRequest(0, shared, 200, -1, -1),
            // replica 1 (less loaded) gets an unrelated prompt
            new TraceRequest(0, prompt(1, 64), 1, -1, -1),
            // later, the shared prompt's extension: replica 0 holds its 64-token prefix
            new TraceRequest(100, longer, 1, -1, -1));
    SimulationReport r = twoReplicas(RoutingPolicy.PRECISE_PREFIX, trace);
    assertThat(r.replicas()).extracting(ReplicaStats::requests).containsExactly(2L, 1L);
    // all 64 tokens of the shared prefix were found on replica 0 (16-token blocks)
    assertThat(r.replicas().get(0).prefixHitTokens()).isEqualTo(64);
    assertThat(r.replicas().get(1).prefixHitTokens()).isZero();
  }

  @Test
  void run_precisePrefix_longerCachedPrefixWins() {
    int[] a = prompt(100, 64);
    int[] b = new int[64];
    // b shares only its first 32 tokens with a
    System.arraycopy(a, 0, b, 0, 32);
    System.arraycopy(prompt(7000, 32), 0, b, 32, 32);
    int[] query = new int[80];
    System.arraycopy(b, 0, query, 0, 64);
    System.arraycopy(prompt(8000, 16), 0, query, 64, 16);
    List<TraceRequest> trace =
        List.of(
            new TraceRequest(0, a, 1, -1, -1),
            new TraceRequest(0, b, 1, -1, -1),
            // query holds b's 64 tokens: replica 1 has 64 cached, replica 0 only 32
            new TraceRequest(200, query, 1, -1, -1));
    SimulationReport r = twoReplicas(RoutingPolicy.PRECISE_PREFIX, trace);
    assertThat(r.replicas()).extracting(ReplicaStats::requests).containsExactly(1L, 2L);
    assertThat(r.replicas().get(1).prefixHitTokens()).isEqualTo(64);
  }
}
