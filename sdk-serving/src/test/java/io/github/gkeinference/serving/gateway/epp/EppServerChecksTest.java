package io.github.gkeinference.serving.gateway.epp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import org.junit.jupiter.api.Test;

class EppServerChecksTest {
  private static final PrecisePrefixRouting ROUTING =
      PrecisePrefixRouting.builder().modelName("m").blockSize(64).hashSeed("42").build();

  /** A vLLM server's facts as a server spec records them. */
  private static WorkloadFacts.Builder vllm(String name) {
    return WorkloadFacts.builder()
        .apiVersion("apps/v1")
        .kind("Deployment")
        .name(name)
        .namespace("inference")
        .server("vllm");
  }

  /** A server set up for {@link #ROUTING}: KV events, block size 64, hash seed 42. */
  private static WorkloadFacts.Builder eventing(String name) {
    return vllm(name)
        .putFlag("--block-size", "64")
        .putFlag("--kv-events-config", ROUTING.kvEventsConfigJson())
        .putEnv("PYTHONHASHSEED", "42");
  }

  /** A JetStream server's facts: it exports none of vLLM's metric names. */
  private static WorkloadFacts jetstream() {
    return WorkloadFacts.builder()
        .apiVersion("apps/v1")
        .kind("Deployment")
        .name("maxtext")
        .server("jetstream")
        .build();
  }

  private static List<Violation> check(EndpointPickerConfig config, WorkloadFacts... servers) {
    Violations v = Violations.root();
    EppServerChecks.check(config, List.of(servers), v);
    return v.all();
  }

  /** The precise-prefix config lists the scorer as its sixth plugin. */
  private static final String PRECISE = "plugins[5]";

  @Test
  void check_precisePrefixAgainstMatchingServers_findsNothing() {
    EndpointPickerConfig c = EndpointPickerConfig.precisePrefix(ROUTING);
    assertThat(c.plugins().get(5).type()).isEqualTo("precise-prefix-cache-scorer");
    assertThat(check(c, eventing("a").build(), eventing("b").build())).isEmpty();
  }

  @Test
  void check_precisePrefixAgainstAServerWithoutKvEvents_isOneViolationAtTheScorer() {
    WorkloadFacts silent =
        vllm("b").putFlag("--block-size", "64").putEnv("PYTHONHASHSEED", "42").build();
    List<Violation> found =
        check(EndpointPickerConfig.precisePrefix(ROUTING), eventing("a").build(), silent);
    assertThat(found).extracting(Violation::path).containsExactly(PRECISE + ".type");
    assertThat(found.get(0).message())
        .contains("--kv-events-config")
        .contains("Deployment inference/b");
  }

  @Test
  void check_blockSizeDiffersFromAServer_isOneViolationAtTheScorersBlockSize() {
    WorkloadFacts other = eventing("b").putFlag("--block-size", "16").build();
    List<Violation> found = check(EndpointPickerConfig.precisePrefix(ROUTING), other);
    assertThat(found)
        .extracting(Violation::path)
        .containsExactly(PRECISE + ".parameters.tokenProcessorConfig.blockSize");
  }

  @Test
  void check_serverWithoutBlockSizeFlag_isComparedWithVllmsDefaultOf16() {
    WorkloadFacts defaults =
        vllm("b")
            .putFlag("--kv-events-config", ROUTING.kvEventsConfigJson())
            .putEnv("PYTHONHASHSEED", "42")
            .build();
    EndpointPickerConfig sixteen =
        EndpointPickerConfig.precisePrefix(
            PrecisePrefixRouting.builder().modelName("m").blockSize(16).build());
    assertThat(check(sixteen, defaults)).isEmpty();
    assertThat(check(EndpointPickerConfig.precisePrefix(ROUTING), defaults)).hasSize(1);
  }

  @Test
  void check_hashSeedDiffersFromAServer_isOneViolationAtTheScorersHashSeed() {
    WorkloadFacts other = eventing("b").putEnv("PYTHONHASHSEED", "7").build();
    List<Violation> found = check(EndpointPickerConfig.precisePrefix(ROUTING), other);
    assertThat(found)
        .extracting(Violation::path)
        .containsExactly(PRECISE + ".parameters.tokenProcessorConfig.hashSeed");
  }

  @Test
  void check_serverWithoutAHashSeed_isAViolationBecauseVllmSeedsAtRandom() {
    WorkloadFacts unseeded =
        vllm("b")
            .putFlag("--block-size", "64")
            .putFlag("--kv-events-config", ROUTING.kvEventsConfigJson())
            .build();
    List<Violation> found = check(EndpointPickerConfig.precisePrefix(ROUTING), unseeded);
    assertThat(found)
        .extracting(Violation::path)
        .containsExactly(PRECISE + ".parameters.tokenProcessorConfig.hashSeed");
    assertThat(found.get(0).message()).contains("random");
  }

  @Test
  void check_kvUtilizationScorerAgainstJetStream_isOneViolationAtTheScorer() {
    WorkloadFacts jetstream = jetstream();
    List<Violation> found = check(EndpointPickerConfig.scorers(0, 0, 2), jetstream);
    assertThat(found).extracting(Violation::path).containsExactly("plugins[0].type");
    assertThat(found.get(0).message()).contains("vllm:kv_cache_usage_perc").contains("jetstream");
  }

  @Test
  void check_kvUtilizationScorerAgainstAServerOnARelease_readsThatReleasesMetricNames() {
    // vLLM v0.9.1 exports the KV-cache gauge as vllm:gpu_cache_usage_perc (renamed in v0.9.2)
    WorkloadFacts old = vllm("old").vllmVersion(VllmVersion.parse("0.9.1")).build();
    List<Violation> found = check(EndpointPickerConfig.scorers(0, 0, 2), old);
    assertThat(found).extracting(Violation::path).containsExactly("plugins[0].type");
    assertThat(found.get(0).message()).contains("vllm:kv_cache_usage_perc");
    WorkloadFacts current = vllm("new").vllmVersion(VllmVersion.parse("0.12.0")).build();
    assertThat(check(EndpointPickerConfig.scorers(0, 0, 2), current)).isEmpty();
  }

  @Test
  void check_queueScorerAgainstVllm_findsNothing() {
    assertThat(check(EndpointPickerConfig.scorers(0, 2, 2), vllm("a").build())).isEmpty();
  }

  @Test
  void check_loraAffinityAgainstVllmWithoutLora_isOneViolation() {
    EndpointPickerConfig lora =
        EndpointPickerConfig.builder()
            .addPlugin(EppPlugin.of(KnownPlugin.LORA_AFFINITY_SCORER))
            .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
            .build();
    assertThat(check(lora, vllm("a").build()))
        .extracting(Violation::path)
        .containsExactly("plugins[0].type");
    assertThat(check(lora, vllm("a").putFlag("--enable-lora", "").build())).isEmpty();
  }

  @Test
  void check_pluginListedButInNoProfile_isNotChecked() {
    EndpointPickerConfig unused =
        EndpointPickerConfig.builder()
            .addPlugin(EppPlugin.of(KnownPlugin.KV_CACHE_UTILIZATION_SCORER))
            .addPlugin(EppPlugin.of(KnownPlugin.QUEUE_SCORER))
            .addPlugin(EppPlugin.of(KnownPlugin.MAX_SCORE_PICKER))
            .addSchedulingProfile(
                SchedulingProfile.of("default", SchedulingProfile.Entry.of("max-score-picker")))
            .build();
    WorkloadFacts jetstream = jetstream();
    assertThat(check(unused, jetstream)).isEmpty();
  }
}
