package io.github.gkeinference.kvcache.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

  private static TraceGenerator.Builder small() {
    return TraceGenerator.builder()
        .requests(120)
        .systemPrompts(3)
        .systemPromptTokens(64)
        .chatFraction(0.5);
  }

  @Test
  void generate_sameSeed_sameTrace_otherSeed_otherTrace() {
    List<TraceRequest> a = small().seed(5).build().generate();
    List<TraceRequest> b = small().seed(5).build().generate();
    List<TraceRequest> c = small().seed(6).build().generate();
    assertThat(a).isEqualTo(b).hasSize(120);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void generate_everyRequestStartsWithItsGroupsSystemPrompt_sortedByArrival() {
    List<TraceRequest> trace = small().seed(1).build().generate();
    int[][] firstOfGroup = new int[3][];
    long last = -1;
    for (TraceRequest r : trace) {
      assertThat(r.arrivalMillis()).isGreaterThanOrEqualTo(last);
      last = r.arrivalMillis();
      int[] head = Arrays.copyOf(r.promptTokens(), 64);
      if (firstOfGroup[r.prefixGroup()] == null) {
        firstOfGroup[r.prefixGroup()] = head;
      }
      assertThat(head).isEqualTo(firstOfGroup[r.prefixGroup()]);
    }
  }

  @Test
  void generate_chatTurns_extendThePreviousTurnsPromptAndAnswer() {
    List<TraceRequest> trace = small().seed(2).build().generate();
    TraceRequest first = null;
    TraceRequest second = null;
    for (TraceRequest r : trace) {
      if (r.conversation() == 0) {
        if (first == null) {
          first = r;
        } else if (second == null) {
          second = r;
        }
      }
    }
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    // turn 2 = turn 1 prompt + turn 1 answer (outputTokens tokens) + new user message
    assertThat(second.promptLength()).isGreaterThan(first.promptLength() + first.outputTokens());
    assertThat(Arrays.copyOf(second.promptTokens(), first.promptLength()))
        .isEqualTo(first.promptTokens());
    assertThat(second.arrivalMillis()).isGreaterThanOrEqualTo(first.arrivalMillis());
  }

  @Test
  void build_badSettings_namesEveryOne() {
    assertThatThrownBy(
            () -> TraceGenerator.builder().requests(0).userTokens(5, 2).chatFraction(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requests")
        .hasMessageContaining("userTokens")
        .hasMessageContaining("chatFraction");
  }
}
