package io.github.gkeinference.accelerators.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.cloud.gkerecommender.v1.ModelServerInfo;
import com.google.cloud.gkerecommender.v1.PerformanceStats;
import com.google.cloud.gkerecommender.v1.Profile;
import com.google.cloud.gkerecommender.v1.ResourcesUsed;
import io.github.gkeinference.accelerators.giq.FetchedProfiles;
import io.github.gkeinference.accelerators.giq.GiqProfile;
import io.github.gkeinference.accelerators.giq.GiqProfiles;
import io.github.gkeinference.accelerators.giq.GiqQuery;
import io.github.gkeinference.accelerators.price.BundledPrices;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.testing.giq.FakeGkeInferenceQuickstart;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The planner ranks on GKE Inference Quickstart's measured profiles where one matches an option,
 * read through {@link GiqProfiles} from the in-process fake of the service.
 */
class ServingPlannerGiqTest {
  private static final String LLAMA_8B = "meta-llama/Llama-3.1-8B-Instruct";

  private FakeGkeInferenceQuickstart giq;

  @BeforeEach
  void start() {
    giq = FakeGkeInferenceQuickstart.start();
  }

  @AfterEach
  void stop() {
    giq.close();
  }

  private static PerformanceStats point(float qps, int tokensPerSecond, int ntpot, int ttft) {
    return PerformanceStats.newBuilder()
        .setQueriesPerSecond(qps)
        .setOutputTokensPerSecond(tokensPerSecond)
        .setNtpotMilliseconds(ntpot)
        .setTtftMilliseconds(ttft)
        .build();
  }

  private static Profile profile(
      String model, String server, String accelerator, int count, PerformanceStats... stats) {
    return Profile.newBuilder()
        .setModelServerInfo(
            ModelServerInfo.newBuilder()
                .setModel(model)
                .setModelServer(server)
                .setModelServerVersion("v0.11.2"))
        .setAcceleratorType(accelerator)
        .setInstanceType("g2-standard-8")
        .setResourcesUsed(ResourcesUsed.newBuilder().setAcceleratorCount(count))
        .addAllPerformanceStats(List.of(stats))
        .build();
  }

  private FetchedProfiles fetch() {
    return new GiqProfiles(giq.client()).profiles(GiqQuery.of(LLAMA_8B));
  }

  private static ServingGoal.Builder goal() {
    return ServingGoal.builder()
        .architecture(ModelCatalog.require(LLAMA_8B).architecture())
        .model(LLAMA_8B)
        .addCandidates("nvidia-l4");
  }

  private static ServingOption option(ServingReport report, int devices) {
    return report.options().stream()
        .filter(o -> o.fit().devices() == devices)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void plan_withAMeasuredProfile_sizesAndPricesThatOptionFromTheMeasurement() {
    // Two points: the faster one misses the default 2 s TTFT target, so the 0.8 QPS point is used.
    giq.addProfile(
        profile(
            LLAMA_8B, "vllm", "nvidia-l4", 1, point(0.8f, 200, 60, 900), point(3f, 700, 95, 2500)));
    ServingGoal g = goal().targetQps(10.0).build();

    ServingReport report = ServingPlanner.plan(g, BundledPrices.snapshot(), fetch().profiles());

    ServingOption one = option(report, 1);
    assertThat(one.basis()).isEqualTo(ServingOption.MEASURED);
    assertThat(one.measurement().orElseThrow().qps()).isCloseTo(0.8, within(1e-6));
    assertThat(one.ttftMillis()).hasValue(900.0);
    assertThat(one.ntpotMillis()).hasValue(60.0);
    // 10 QPS at 0.8 QPS per replica: ceil(12.5) = 13 replicas.
    assertThat(one.replicas()).isEqualTo(13);
    // GIQ's formula on the measured rates: price/s / (0.8 * 1024 / 4 + 200) tokens/s.
    double perSecond = one.usdPerHourPerReplica().orElseThrow() / 3600;
    assertThat(one.usdPerMillionOutputTokens().orElseThrow())
        .isCloseTo(perSecond / (0.8 * 1024 / 4 + 200) * 1e6, within(1e-6)); // 0.8 is a float
    assertThat(one.notes()).anyMatch(n -> n.startsWith("ranked on GIQ's measurement"));
    // A measured option is not labelled with the estimate's calibration; an estimated one is.
    assertThat(one.notes()).noneMatch(n -> n.startsWith("estimate"));
    // The other layouts keep the estimate.
    assertThat(option(report, 2).basis()).isEqualTo(ServingOption.ESTIMATED);
    assertThat(option(report, 2).notes()).anyMatch(n -> n.startsWith("estimate"));
    assertThat(option(report, 2).measurement()).isEmpty();
  }

  @Test
  void plan_measurement_changesTheRanking() {
    ServingGoal g = goal().targetQps(10.0).build();
    ServingReport estimated = ServingPlanner.plan(g, BundledPrices.snapshot());
    ServingOption oneEstimated = option(estimated, 1);
    assertThat(oneEstimated.basis()).isEqualTo(ServingOption.ESTIMATED);
    // A measurement far above the estimate (10 QPS in one replica) makes one L4 the cheapest way
    // to serve 10 QPS: one replica at one L4's price.
    double estimatedQps = oneEstimated.requestsPerSecondPerReplica().orElseThrow();
    assertThat(estimatedQps).isLessThan(10);
    giq.addProfile(profile(LLAMA_8B, "vllm", "nvidia-l4", 1, point(10f, 2560, 50, 400)));

    ServingReport measured = ServingPlanner.plan(g, BundledPrices.snapshot(), fetch().profiles());

    ServingOption best = measured.recommendation().orElseThrow();
    assertThat(best.fit().devices()).isEqualTo(1);
    assertThat(best.basis()).isEqualTo(ServingOption.MEASURED);
    assertThat(best.replicas()).isEqualTo(1);
    assertThat(best.usdPerHour()).isEqualTo(best.usdPerHourPerReplica());
    assertThat(best.usdPerHour().orElseThrow()).isLessThan(oneEstimated.usdPerHour().orElseThrow());
  }

  @Test
  void plan_profilesOfAnotherModelOrServer_areIgnored() {
    giq.addProfile(profile(LLAMA_8B, "sglang", "nvidia-l4", 1, point(5f, 1200, 50, 400)));
    FetchedProfiles fetched = fetch();
    assertThat(fetched.profiles()).hasSize(1);
    ServingGoal other =
        goal()
            .architecture(ModelCatalog.require("Qwen/Qwen3-8B").architecture())
            .model("Qwen/Qwen3-8B")
            .build();
    List<GiqProfile> vllmOfLlama =
        List.of(GiqProfile.builder().from(fetched.profiles().get(0)).modelServer("vllm").build());

    ServingReport sglang =
        ServingPlanner.plan(goal().build(), BundledPrices.snapshot(), fetched.profiles());
    ServingReport qwen = ServingPlanner.plan(other, BundledPrices.snapshot(), vllmOfLlama);

    assertThat(sglang.options()).allMatch(o -> o.basis().equals(ServingOption.ESTIMATED));
    assertThat(qwen.options()).allMatch(o -> o.basis().equals(ServingOption.ESTIMATED));
  }

  @Test
  void plan_measuredPointsAllMissTheSlo_keepTheEstimateWithANote() {
    giq.addProfile(profile(LLAMA_8B, "vllm", "nvidia-l4", 1, point(2f, 500, 300, 5000)));

    ServingReport report =
        ServingPlanner.plan(goal().build(), BundledPrices.snapshot(), fetch().profiles());

    ServingOption one = option(report, 1);
    assertThat(one.basis()).isEqualTo(ServingOption.ESTIMATED);
    assertThat(one.notes()).anyMatch(n -> n.contains("no measured point meets the SLO"));
  }
}
