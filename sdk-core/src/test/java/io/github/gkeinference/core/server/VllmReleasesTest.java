package io.github.gkeinference.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VllmReleasesTest {
  @Test
  void table_listsReleasesOldestFirst_withTheDefaultOneAmongThem() {
    assertThat(VllmReleases.releases())
        .extracting(VllmRelease::version)
        .isSorted()
        .contains(VllmVersion.PINNED, new VllmVersion(0, 11, 1), VllmVersion.CUDA_GRAPH_PROFILING);
    assertThat(VllmReleases.defaultRelease().version()).isEqualTo(VllmVersion.PINNED);
    assertThat(VllmReleases.defaultRelease().images()).containsExactly("vllm/vllm-openai:v0.11.2");
    assertThat(VllmReleases.forImage("vllm/vllm-tpu:v0.11.1").orElseThrow().listed()).isTrue();
    assertThat(VllmReleases.forImage("vllm/vllm-openai:v0.15.3").orElseThrow().listed()).isFalse();
    assertThat(VllmReleases.forImage("vllm/vllm-openai:latest")).isEmpty();
  }

  @Test
  void listsFlag_knowsTheLoraCacheAndKvEventFlags_inEveryForm() {
    assertThat(VllmReleases.listsFlag("--max-cpu-loras=8")).isTrue();
    assertThat(VllmReleases.listsFlag("--kv-events-config")).isTrue();
    assertThat(VllmReleases.listsFlag("--kv_events_config={}")).isTrue();
    assertThat(VllmReleases.listsFlag("-tp")).isTrue();
    // a flag the table does not know, and a value that is not a flag
    assertThat(VllmReleases.listsFlag("--no-such-flag")).isFalse();
    assertThat(VllmReleases.listsFlag("meta-llama/Llama-3.1-8B")).isFalse();
  }

  @Test
  void gpuMemoryUtilization_changesAtV021() {
    assertThat(VllmReleases.release(VllmVersion.parse("0.11.2")).gpuMemoryUtilization())
        .isEqualTo(0.90);
    assertThat(VllmReleases.release(VllmVersion.parse("0.20.9")).gpuMemoryUtilization())
        .isEqualTo(0.90);
    assertThat(VllmReleases.release(VllmVersion.parse("0.21.0")).gpuMemoryUtilization())
        .isEqualTo(0.92);
    assertThat(VllmReleases.release(VllmVersion.parse("0.21.0")).gpuMemoryUtilizationSource())
        .contains("vllm-project/vllm#38284");
  }

  @Test
  void kvCacheMetric_followsTheRenameAndTheRemovalOfTheOldName() {
    VllmRelease v091 = VllmReleases.release(VllmVersion.parse("0.9.1"));
    VllmRelease v0112 = VllmReleases.release(VllmVersion.parse("0.11.2"));
    VllmRelease v012 = VllmReleases.release(VllmVersion.parse("0.12.0"));
    assertThat(v091.metric("KV_CACHE_USAGE")).contains("vllm:gpu_cache_usage_perc");
    assertThat(v091.metrics()).doesNotContain("vllm:kv_cache_usage_perc");
    assertThat(v0112.metric("KV_CACHE_USAGE")).contains("vllm:kv_cache_usage_perc");
    // the old name is still exported, as a deprecated alias, up to v0.11
    assertThat(v0112.metrics()).contains("vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc");
    assertThat(v012.metrics())
        .contains("vllm:kv_cache_usage_perc")
        .doesNotContain("vllm:gpu_cache_usage_perc");
    assertThat(v012.metric("QUEUE_LENGTH")).contains("vllm:num_requests_waiting");
    assertThat(v012.metric("NO_SUCH_SIGNAL")).isEmpty();
  }

  @Test
  void unsupported_namesTheReleasesThatHaveTheFlag() {
    VllmRelease pinned = VllmReleases.defaultRelease();
    assertThat(pinned.unsupported("--logging-config.formatter=json"))
        .hasValueSatisfying(
            m -> assertThat(m).contains("vLLM 0.11.2", "--logging-config", "from 0.32.0 on"));
    assertThat(VllmReleases.release(VllmVersion.parse("0.32.0")).accepts("--logging-config={}"))
        .isTrue();
    // known flags in every form vLLM's parser takes
    assertThat(pinned.accepts("--tensor-parallel-size=2")).isTrue();
    assertThat(pinned.accepts("-tp")).isTrue();
    assertThat(pinned.accepts("--max_model_len=4096")).isTrue();
    // a flag the table does not know is not judged, nor is a value
    assertThat(pinned.unsupported("--trust-remote-code")).isEmpty();
    assertThat(pinned.unsupported("name=/adapters/a")).isEmpty();
  }

  @Test
  void flagOf_normalisesTheFormsOfAFlag() {
    assertThat(VllmRelease.flagOf("--logging-config.formatter=json")).contains("--logging-config");
    assertThat(VllmRelease.flagOf("--Max_Model_Len=8")).contains("--max-model-len");
    assertThat(VllmRelease.flagOf("-tp")).contains("-tp");
    assertThat(VllmRelease.flagOf("-1")).isEmpty();
    assertThat(VllmRelease.flagOf("value")).isEmpty();
  }

  @Test
  void environment_listsTheLoggingAndTracingVariables() {
    assertThat(VllmReleases.defaultRelease().hasEnvironmentVariable("VLLM_LOGGING_CONFIG_PATH"))
        .isTrue();
    assertThat(VllmReleases.defaultRelease().hasEnvironmentVariable("NO_SUCH")).isFalse();
  }
}
