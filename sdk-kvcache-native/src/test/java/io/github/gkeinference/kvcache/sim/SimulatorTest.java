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
}
