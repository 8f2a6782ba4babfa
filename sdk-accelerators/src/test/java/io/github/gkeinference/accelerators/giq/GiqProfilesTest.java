package io.github.gkeinference.accelerators.giq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.gkerecommender.v1.Amount;
import com.google.cloud.gkerecommender.v1.Cost;
import com.google.cloud.gkerecommender.v1.FetchProfilesRequest;
import com.google.cloud.gkerecommender.v1.ModelServerInfo;
import com.google.cloud.gkerecommender.v1.PerformanceStats;
import com.google.cloud.gkerecommender.v1.Profile;
import com.google.cloud.gkerecommender.v1.ResourcesUsed;
import io.github.gkeinference.accelerators.catalog.AcceleratorCatalog;
import io.github.gkeinference.accelerators.price.PricingModel;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.testing.giq.FakeGkeInferenceQuickstart;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GiqProfilesTest {
  private static final String LLAMA = "meta-llama/Llama-3.3-70B-Instruct";
  private static final String GEMMA = "google/gemma-3-27b-it";

  private FakeGkeInferenceQuickstart giq;

  @BeforeEach
  void start() {
    giq = FakeGkeInferenceQuickstart.start();
  }

  @AfterEach
  void stop() {
    giq.close();
  }

  /** A point with a spot cost only; the cost is 0.1 x tokens/s so each point has its own. */
  private static PerformanceStats point(float qps, int tokensPerSecond, int ntpot, int ttft) {
    long nanos = tokensPerSecond * 100_000_000L;
    return PerformanceStats.newBuilder()
        .setQueriesPerSecond(qps)
        .setOutputTokensPerSecond(tokensPerSecond)
        .setNtpotMilliseconds(ntpot)
        .setTtftMilliseconds(ttft)
        .addCost(
            Cost.newBuilder()
                .setPricingModel("spot")
                .setCostPerMillionOutputTokens(
                    Amount.newBuilder()
                        .setUnits(nanos / 1_000_000_000L)
                        .setNanos((int) (nanos % 1_000_000_000L))))
        .build();
  }

  private static Profile profile(
      String model, String accelerator, String instanceType, int count, PerformanceStats... stats) {
    return Profile.newBuilder()
        .setModelServerInfo(
            ModelServerInfo.newBuilder()
                .setModel(model)
                .setModelServer("vllm")
                .setModelServerVersion("v0.7.2"))
        .setAcceleratorType(accelerator)
        .setInstanceType(instanceType)
        .setResourcesUsed(ResourcesUsed.newBuilder().setAcceleratorCount(count))
        .addAllPerformanceStats(List.of(stats))
        .build();
  }

  @Test
  void profiles_ofOneModel_convertEveryFieldIntoTypedValues() {
    giq.addProfile(
            Profile.newBuilder(
                    profile(
                        LLAMA,
                        "nvidia-h100-80gb",
                        "a3-highgpu-4g",
                        4,
                        point(2.5f, 900, 40, 300),
                        point(6.0f, 2100, 85, 1400)))
                .setPerformanceStats(
                    1,
                    point(6.0f, 2100, 85, 1400).toBuilder()
                        .addCost(
                            Cost.newBuilder()
                                .setPricingModel("on-demand")
                                .setCostPerMillionOutputTokens(
                                    Amount.newBuilder().setUnits(3).setNanos(250_000_000))
                                .setCostPerMillionInputTokens(
                                    Amount.newBuilder().setNanos(812_500_000))
                                .setOutputInputCostRatio(4.0f)))
                .build())
        .addProfile(profile(GEMMA, "nvidia-l4", "g2-standard-24", 2, point(1f, 300, 60, 500)))
        .comments("Profiles are measured on vLLM.");

    FetchedProfiles fetched = new GiqProfiles(giq.client()).profiles(GiqQuery.of(LLAMA));

    assertThat(fetched.comments()).containsExactly("Profiles are measured on vLLM.");
    assertThat(fetched.profiles()).hasSize(1);
    GiqProfile p = fetched.profiles().get(0);
    assertThat(p.model()).isEqualTo(LLAMA);
    assertThat(p.modelServer()).isEqualTo("vllm");
    assertThat(p.modelServerVersion()).isEqualTo("v0.7.2");
    assertThat(p.acceleratorType()).isEqualTo("nvidia-h100-80gb");
    assertThat(p.instanceType()).isEqualTo("a3-highgpu-4g");
    assertThat(p.acceleratorCount()).isEqualTo(4);
    assertThat(p.tpuTopology()).isEmpty();
    // GIQ names accelerators with the GKE label, as the catalog does.
    assertThat(AcceleratorCatalog.standard().byLabel(p.acceleratorType())).isPresent();
    assertThat(p.measurements()).hasSize(2);
    GiqMeasurement loaded = p.measurements().get(1);
    assertThat(loaded.qps()).isEqualTo(6.0);
    assertThat(loaded.outputTokensPerSecond()).isEqualTo(2100);
    assertThat(loaded.ntpotMillis()).isEqualTo(85);
    assertThat(loaded.ttftMillis()).isEqualTo(1400);
    // 2,100 tokens/s -> 210 $/1M in this fixture: units 210, nanos 0.
    assertThat(loaded.cost(PricingModel.SPOT).orElseThrow().usdPerMillionOutputTokens())
        .isCloseTo(210.0, within(1e-9));
    GiqCost onDemand = loaded.cost(PricingModel.ON_DEMAND).orElseThrow();
    assertThat(onDemand.pricing()).isEqualTo("on-demand");
    assertThat(onDemand.usdPerMillionOutputTokens()).isCloseTo(3.25, within(1e-9));
    assertThat(onDemand.usdPerMillionInputTokens().orElseThrow()).isCloseTo(0.8125, within(1e-9));
    assertThat(onDemand.outputInputCostRatio()).hasValue(4.0);
    // 900 tokens/s -> units 90, nanos 0; a fractional amount: 0.1 x 905 = 90.5.
    assertThat(
            GiqProfiles.profile(profile(LLAMA, "nvidia-l4", "g2", 1, point(1f, 905, 1, 1)))
                .measurements()
                .get(0)
                .cost(PricingModel.SPOT)
                .orElseThrow()
                .usdPerMillionOutputTokens())
        .isCloseTo(90.5, within(1e-9));
  }

  @Test
  void best_picksTheFastestMeasuredPointWithinTheTargets() {
    GiqProfile p =
        GiqProfiles.profile(
            profile(
                LLAMA,
                "nvidia-h100-80gb",
                "a3-highgpu-4g",
                4,
                point(2.5f, 900, 40, 300),
                point(6.0f, 2100, 85, 1400),
                point(9.0f, 2600, 140, 4000)));

    assertThat(p.best(2000, 100).orElseThrow().outputTokensPerSecond()).isEqualTo(2100);
    assertThat(p.best(500, 100).orElseThrow().outputTokensPerSecond()).isEqualTo(900);
    assertThat(p.best(5000, 200).orElseThrow().outputTokensPerSecond()).isEqualTo(2600);
    assertThat(p.best(200, 100)).isEmpty();
  }

  @Test
  void profiles_followEveryPage() {
    for (int i = 1; i <= 5; i++) {
      giq.addProfile(
          profile(LLAMA, "nvidia-h100-80gb", "a3-highgpu-" + i + "g", i, point(1f, 100, 50, 500)));
    }

    FetchedProfiles fetched =
        new GiqProfiles(giq.client()).profiles(GiqQuery.builder().model(LLAMA).pageSize(2).build());

    assertThat(fetched.profiles())
        .extracting(GiqProfile::instanceType)
        .containsExactly(
            "a3-highgpu-1g", "a3-highgpu-2g", "a3-highgpu-3g", "a3-highgpu-4g", "a3-highgpu-5g");
    List<FetchProfilesRequest> requests =
        giq.requests().stream()
            .filter(FetchProfilesRequest.class::isInstance)
            .map(FetchProfilesRequest.class::cast)
            .toList();
    assertThat(requests)
        .extracting(FetchProfilesRequest::getPageToken)
        .containsExactly("", "2", "4");
    assertThat(requests).allSatisfy(r -> assertThat(r.getPageSize()).isEqualTo(2));
  }

  @Test
  void models_followEveryPage() {
    giq.pageSize(1)
        .addProfile(profile(LLAMA, "nvidia-h100-80gb", "a3-highgpu-4g", 4, point(1f, 1, 1, 1)))
        .addProfile(profile(GEMMA, "nvidia-l4", "g2-standard-24", 2, point(1f, 1, 1, 1)))
        .addProfile(profile(LLAMA, "nvidia-h200-141gb", "a3-ultragpu-8g", 8, point(1f, 1, 1, 1)));

    assertThat(new GiqProfiles(giq.client()).models()).containsExactly(LLAMA, GEMMA);
  }

  @Test
  void profiles_withLatencyTargets_sendsThemAndGetsOnlyProfilesThatMeetThem() {
    giq.addProfile(profile(LLAMA, "nvidia-h100-80gb", "a3-highgpu-4g", 4, point(5f, 2000, 60, 400)))
        .addProfile(profile(LLAMA, "nvidia-l4", "g2-standard-96", 8, point(1f, 300, 180, 2500)));

    FetchedProfiles fetched =
        new GiqProfiles(giq.client())
            .profiles(GiqQuery.builder().model(LLAMA).ttftMillis(1000).ntpotMillis(100).build());

    assertThat(fetched.profiles())
        .extracting(GiqProfile::acceleratorType)
        .containsExactly("nvidia-h100-80gb");
    FetchProfilesRequest sent = (FetchProfilesRequest) giq.requests().get(0);
    assertThat(sent.getPerformanceRequirements().getTargetTtftMilliseconds()).isEqualTo(1000);
    assertThat(sent.getPerformanceRequirements().getTargetNtpotMilliseconds()).isEqualTo(100);
  }

  @Test
  void profiles_withoutPermission_namesTheMissingPermission() {
    giq.denyPermission("serviceusage.services.use");

    assertThatThrownBy(() -> new GiqProfiles(giq.client()).profiles(GiqQuery.of(LLAMA)))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("FetchProfiles for model " + LLAMA)
        .hasMessageContaining("PERMISSION_DENIED")
        .hasMessageContaining("lacks the IAM permission 'serviceusage.services.use'")
        .hasCauseInstanceOf(ApiException.class);
  }

  @Test
  void benchmarks_filterByMachineTypeAndSendThePricingModel() {
    giq.addProfile(profile(LLAMA, "nvidia-h100-80gb", "a3-highgpu-4g", 4, point(5f, 2000, 60, 400)))
        .addProfile(
            profile(LLAMA, "nvidia-h100-80gb", "a3-highgpu-8g", 8, point(9f, 4000, 50, 300)));

    List<GiqProfile> bench =
        new GiqProfiles(giq.client())
            .benchmarks(LLAMA, "vllm", "", "a3-highgpu-8g", PricingModel.COMMITTED_3_YEARS);

    assertThat(bench).extracting(GiqProfile::acceleratorCount).containsExactly(8);
    assertThat(giq.requests().get(0).toString()).contains("pricing_model: \"3-years-cud\"");
  }

  @Test
  void benchmarks_withoutModel_reportTheRejectedCall() {
    assertThatThrownBy(
            () -> new GiqProfiles(giq.client()).benchmarks("", "vllm", "", "", PricingModel.SPOT))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("FetchBenchmarkingData")
        .hasMessageContaining("INVALID_ARGUMENT");
  }

  @Test
  void query_rejectsEveryNonPositiveTarget() {
    assertThatThrownBy(() -> GiqQuery.builder().ttftMillis(0).ntpotMillis(-1).pageSize(0).build())
        .hasMessageContaining("ttftMillis")
        .hasMessageContaining("ntpotMillis")
        .hasMessageContaining("pageSize");
  }
}
