package io.github.gkeinference.accelerators.giq;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ErrorDetails;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.gkerecommender.v1.Amount;
import com.google.cloud.gkerecommender.v1.Cost;
import com.google.cloud.gkerecommender.v1.FetchBenchmarkingDataRequest;
import com.google.cloud.gkerecommender.v1.FetchModelsRequest;
import com.google.cloud.gkerecommender.v1.FetchProfilesRequest;
import com.google.cloud.gkerecommender.v1.GkeInferenceQuickstartClient;
import com.google.cloud.gkerecommender.v1.GkeInferenceQuickstartClient.FetchProfilesPage;
import com.google.cloud.gkerecommender.v1.ModelServerInfo;
import com.google.cloud.gkerecommender.v1.PerformanceRequirements;
import com.google.cloud.gkerecommender.v1.PerformanceStats;
import com.google.cloud.gkerecommender.v1.Profile;
import com.google.rpc.ErrorInfo;
import io.github.gkeinference.accelerators.price.PricingModel;
import io.github.gkeinference.core.SdkException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads GKE Inference Quickstart (GIQ) profiles and benchmarking data into typed values: the
 * measured throughput, TTFT, NTPOT and cost of a model on each accelerator GIQ benchmarked.
 *
 * <p>A thin layer over the {@code google-cloud-gkerecommender} client ({@code
 * com.google.cloud.gkerecommender.v1}, API reference
 * https://docs.cloud.google.com/php/docs/reference/cloud-gkerecommender/latest/V1.FetchProfilesRequest
 * and {@code google/cloud/gkerecommender/v1/gkerecommender.proto} of googleapis). The client
 * dependency is optional in this module: add {@code com.google.cloud:google-cloud-gkerecommender}
 * (its version comes from {@code gke-inference-bom}) to use this class.
 *
 * <pre>{@code
 * try (GkeInferenceQuickstartClient client = GkeInferenceQuickstartClient.create()) {
 *   GiqProfiles giq = new GiqProfiles(client);
 *   for (GiqProfile p : giq.profiles(GiqQuery.of("meta-llama/Llama-3.3-70B-Instruct")).profiles()) {
 *     p.best(2000, 100).ifPresent(m -> qpsByAccelerator.put(p.acceleratorType(), m.qps()));
 *   }
 * }
 * }</pre>
 *
 * <p>Paged calls follow every page. A failed call throws {@link SdkException} naming the RPC and
 * its filter, with the original {@link ApiException} as the cause; a {@code PERMISSION_DENIED}
 * names the missing IAM permission when the service reports it (a {@code google.rpc.ErrorInfo} with
 * metadata {@code permission}, https://cloud.google.com/apis/design/errors).
 *
 * <p>Thread-safe when the client is. Does not close the client it is given.
 */
public final class GiqProfiles {
  private final GkeInferenceQuickstartClient client;

  /**
   * Wraps a client; the caller keeps ownership and closes it.
   *
   * @param client the GIQ client
   */
  public GiqProfiles(GkeInferenceQuickstartClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Returns every model GIQ has profiles for (Hugging Face ids), following every page.
   *
   * @return the model ids, in GIQ's order
   */
  public List<String> models() {
    return call(
        "FetchModels",
        "",
        () -> {
          List<String> models = new ArrayList<>();
          client
              .fetchModels(FetchModelsRequest.getDefaultInstance())
              .iterateAll()
              .forEach(models::add);
          return models;
        });
  }

  /**
   * Fetches the profiles that match a query, following every page.
   *
   * @param query the filters and latency targets
   * @return the profiles and GIQ's comments
   */
  public FetchedProfiles profiles(GiqQuery query) {
    FetchProfilesRequest.Builder request = FetchProfilesRequest.newBuilder();
    query.model().ifPresent(request::setModel);
    query.modelServer().ifPresent(request::setModelServer);
    query.modelServerVersion().ifPresent(request::setModelServerVersion);
    query.pageSize().ifPresent(request::setPageSize);
    if (query.ttftMillis().isPresent() || query.ntpotMillis().isPresent()) {
      PerformanceRequirements.Builder r = PerformanceRequirements.newBuilder();
      query.ttftMillis().ifPresent(r::setTargetTtftMilliseconds);
      query.ntpotMillis().ifPresent(r::setTargetNtpotMilliseconds);
      request.setPerformanceRequirements(r);
    }
    return call(
        "FetchProfiles",
        query.model().map(m -> " for model " + m).orElse(""),
        () -> {
          FetchedProfiles.Builder out = FetchedProfiles.builder();
          Set<String> comments = new LinkedHashSet<>();
          for (FetchProfilesPage page : client.fetchProfiles(request.build()).iteratePages()) {
            for (Profile p : page.getValues()) {
              out.addProfile(profile(p));
            }
            String c = page.getResponse().getComments();
            if (!c.isBlank()) {
              comments.add(c.strip());
            }
          }
          return out.comments(comments).build();
        });
  }

  /**
   * Fetches every benchmarked operating point of one model server on one machine type ({@code
   * FetchBenchmarkingData}).
   *
   * @param model the model (Hugging Face id)
   * @param modelServer the model server, for example {@code vllm}
   * @param modelServerVersion the server version; empty for GIQ's latest
   * @param instanceType the machine type, for example {@code a3-highgpu-8g}; empty for every one
   * @param pricing the pricing model the costs are computed for
   * @return the profiles with their measured points
   */
  public List<GiqProfile> benchmarks(
      String model,
      String modelServer,
      String modelServerVersion,
      String instanceType,
      PricingModel pricing) {
    FetchBenchmarkingDataRequest request =
        FetchBenchmarkingDataRequest.newBuilder()
            .setModelServerInfo(
                ModelServerInfo.newBuilder()
                    .setModel(model)
                    .setModelServer(modelServer)
                    .setModelServerVersion(modelServerVersion))
            .setInstanceType(instanceType)
            .setPricingModel(pricing.id())
            .build();
    return call(
        "FetchBenchmarkingData",
        " for model " + model + (instanceType.isEmpty() ? "" : " on " + instanceType),
        () ->
            client.fetchBenchmarkingData(request).getProfileList().stream()
                .map(GiqProfiles::profile)
                .toList());
  }

  /** Converts one GIQ profile. */
  static GiqProfile profile(Profile p) {
    GiqProfile.Builder b =
        GiqProfile.builder()
            .model(p.getModelServerInfo().getModel())
            .modelServer(p.getModelServerInfo().getModelServer())
            .modelServerVersion(p.getModelServerInfo().getModelServerVersion())
            .acceleratorType(p.getAcceleratorType())
            .instanceType(p.getInstanceType())
            .acceleratorCount(p.getResourcesUsed().getAcceleratorCount());
    if (!p.getTpuTopology().isEmpty()) {
      b.tpuTopology(p.getTpuTopology());
    }
    for (PerformanceStats s : p.getPerformanceStatsList()) {
      GiqMeasurement.Builder m =
          GiqMeasurement.builder()
              .qps(s.getQueriesPerSecond())
              .outputTokensPerSecond(s.getOutputTokensPerSecond())
              .ntpotMillis(s.getNtpotMilliseconds())
              .ttftMillis(s.getTtftMilliseconds());
      for (Cost c : s.getCostList()) {
        GiqCost.Builder cost =
            GiqCost.builder()
                .pricing(c.getPricingModel())
                .usdPerMillionOutputTokens(usd(c.getCostPerMillionOutputTokens()));
        PricingModel.fromId(c.getPricingModel()).ifPresent(cost::pricingModel);
        if (c.hasCostPerMillionInputTokens()) {
          cost.usdPerMillionInputTokens(usd(c.getCostPerMillionInputTokens()));
        }
        if (c.hasOutputInputCostRatio()) {
          cost.outputInputCostRatio((double) c.getOutputInputCostRatio());
        }
        m.addCost(cost.build());
      }
      b.addMeasurement(m.build());
    }
    return b.build();
  }

  /** An {@code Amount} (units and nanos, USD) as a double. */
  private static double usd(Amount a) {
    return a.getUnits() + a.getNanos() / 1e9;
  }

  private static <T> T call(String rpc, String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (ApiException e) {
      throw new SdkException(message(rpc, what, e), e);
    }
  }

  /** Says which call failed and, for a permission error, which permission is missing. */
  static String message(String rpc, String what, ApiException e) {
    StatusCode.Code code = e.getStatusCode().getCode();
    StringBuilder m =
        new StringBuilder("GKE Inference Quickstart ")
            .append(rpc)
            .append(what)
            .append(" failed: ")
            .append(code);
    if (code == StatusCode.Code.PERMISSION_DENIED || code == StatusCode.Code.UNAUTHENTICATED) {
      String permission = permission(e);
      if (!permission.isEmpty()) {
        m.append(": the caller lacks the IAM permission '").append(permission).append("'");
      } else {
        m.append(
            ": the caller's credentials may not use the GKE Recommender API"
                + " (gkerecommender.googleapis.com)");
      }
    }
    return m.append(" (").append(e.getMessage()).append(")").toString();
  }

  private static String permission(ApiException e) {
    ErrorDetails details = e.getErrorDetails();
    if (details == null) {
      return "";
    }
    ErrorInfo info = details.getErrorInfo();
    return info == null ? "" : info.getMetadataOrDefault("permission", "");
  }
}
