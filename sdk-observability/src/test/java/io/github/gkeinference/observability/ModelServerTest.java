package io.github.gkeinference.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import org.junit.jupiter.api.Test;

class ModelServerTest {

  @Test
  void gauges_listEachServersGaugesFromItsSources() {
    assertThat(ModelServer.VLLM.gauges())
        .containsExactly(
            "vllm:num_requests_waiting",
            "vllm:num_requests_running",
            "vllm:kv_cache_usage_perc",
            "vllm:gpu_cache_usage_perc");
    assertThat(ModelServer.JETSTREAM.gauges())
        .containsExactly(
            "jetstream_prefill_backlog_size",
            "jetstream_slots_used_percentage",
            "jetstream_transfer_backlog_size",
            "jetstream_generate_backlog_size");
    assertThat(ModelServer.TGI.gauges())
        .containsExactly(
            "tgi_queue_size", "tgi_batch_current_size", "tgi_batch_current_max_tokens");
    assertThat(ModelServer.SGLANG.gauges())
        .containsExactly("sglang:num_queue_reqs", "sglang:num_running_reqs", "sglang:token_usage");
  }

  @Test
  void exports_acceptsOwnGauges_rejectsHistogramsAndOtherServersGauges() {
    assertThat(ModelServer.VLLM.exports("vllm:gpu_cache_usage_perc")).isTrue();
    assertThat(ModelServer.VLLM.exports("vllm:time_to_first_token_seconds")).isFalse();
    assertThat(ModelServer.VLLM.exports("tgi_queue_size")).isFalse();
    assertThat(ModelServer.SGLANG.exports("sglang:token_usage")).isTrue();
    assertThat(ModelServer.TGI.exports("sglang:num_queue_reqs")).isFalse();
  }

  @Test
  void signals_ofTgiAndSglang_areTheirGauges() {
    assertThat(ModelServer.TGI.metric(Signal.QUEUE_LENGTH).orElseThrow().name())
        .isEqualTo("tgi_queue_size");
    assertThat(ModelServer.TGI.metric(Signal.KV_CACHE_USAGE)).isEmpty();
    assertThat(ModelServer.SGLANG.metric(Signal.KV_CACHE_USAGE).orElseThrow().unit())
        .isEqualTo(ServerMetric.Unit.FRACTION);
    assertThat(ModelServer.SGLANG.metric(Signal.TIME_TO_FIRST_TOKEN)).isEmpty();
  }

  @Test
  void fromLabel_ignoresCaseSpacesAndDashes() {
    assertThat(ModelServer.fromLabel("vllm")).contains(ModelServer.VLLM);
    assertThat(ModelServer.fromLabel(" JetStream ")).contains(ModelServer.JETSTREAM);
    assertThat(ModelServer.fromLabel("sg-lang")).contains(ModelServer.SGLANG);
    assertThat(ModelServer.fromLabel("tgi")).contains(ModelServer.TGI);
    assertThat(ModelServer.fromLabel("triton")).isEmpty();
  }

  @Test
  void monitored_onlyVllmAndJetstream() {
    assertThat(ModelServer.VLLM.monitored()).isTrue();
    assertThat(ModelServer.JETSTREAM.monitored()).isTrue();
    assertThat(ModelServer.TGI.monitored()).isFalse();
    assertThat(ModelServer.SGLANG.monitored()).isFalse();
  }

  @Test
  void inferenceMonitoring_ofTgiOrSglang_isRejectedOnTheServerField() {
    for (ModelServer server : new ModelServer[] {ModelServer.TGI, ModelServer.SGLANG}) {
      SdkValidationException e =
          assertThrows(
              SdkValidationException.class,
              () -> Specs.vllm().toBuilder().server(server).alerts(java.util.Set.of()).build());
      assertThat(e.errors()).extracting(Violation::path).containsExactly("monitoring.server");
      assertThat(e.getMessage()).contains("no dashboard, alert or SLO support");
    }
  }
}
