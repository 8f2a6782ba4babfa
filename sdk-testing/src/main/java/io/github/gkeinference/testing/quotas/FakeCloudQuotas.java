package io.github.gkeinference.testing.quotas;

import com.google.api.cloudquotas.v1.CloudQuotasClient;
import com.google.api.cloudquotas.v1.CloudQuotasGrpc;
import com.google.api.cloudquotas.v1.CloudQuotasSettings;
import com.google.api.cloudquotas.v1.DimensionsInfo;
import com.google.api.cloudquotas.v1.GetQuotaInfoRequest;
import com.google.api.cloudquotas.v1.ListQuotaInfosRequest;
import com.google.api.cloudquotas.v1.ListQuotaInfosResponse;
import com.google.api.cloudquotas.v1.QuotaDetails;
import com.google.api.cloudquotas.v1.QuotaInfo;
import io.github.gkeinference.testing.internal.CallLog;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-process fake of the Cloud Quotas API ({@code google.api.cloudquotas.v1.CloudQuotas}): the
 * quota infos of a service, read one by one ({@code GetQuotaInfo}) or listed ({@code
 * ListQuotaInfos}, one page).
 *
 * <p>Built on the real generated {@link CloudQuotasGrpc.CloudQuotasImplBase} and served over an
 * in-process gRPC channel; {@link #client()} is the real {@link CloudQuotasClient} with no
 * credentials.
 *
 * <pre>{@code
 * try (FakeCloudQuotas quotas = FakeCloudQuotas.start()) {
 *   quotas.putRegionalQuota("my-project", "compute.googleapis.com",
 *       "TPU-LITE-PODSLICE-V5-per-project-region",
 *       "compute.googleapis.com/tpu_lite_podslice_v5", "us-central1", 16);
 * }
 * }</pre>
 *
 * <p>Behaviour that mirrors the service: names are {@code
 * projects/{project}/locations/global/services/{service}/quotaInfos/{quota id}}; a missing quota
 * info is {@code NOT_FOUND}; a call made to fail with {@link #denyNext(String, String)} is {@code
 * PERMISSION_DENIED} naming the permission. Thread-safe. {@link #close()} closes the client, the
 * channel and the server.
 */
public final class FakeCloudQuotas implements AutoCloseable {
  private final Object lock = new Object();
  private final Map<String, QuotaInfo> infos = new LinkedHashMap<>();
  private final CallLog log = new CallLog();
  private final InProcessGrpc grpc;
  private final CloudQuotasSettings settings;
  private final LazyClient<CloudQuotasClient> client;

  private FakeCloudQuotas() {
    grpc = InProcessGrpc.start(new Service());
    settings =
        InProcessGrpc.settings(
            () ->
                CloudQuotasSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    client = LazyClient.of(() -> CloudQuotasClient.create(settings));
  }

  /** Starts a fake with no quota infos. */
  public static FakeCloudQuotas start() {
    return new FakeCloudQuotas();
  }

  /** Returns the real client connected to this fake (closed by {@link #close()}). */
  public CloudQuotasClient client() {
    return client.get();
  }

  /** Returns client settings that reach this fake, for code that builds its own client. */
  public CloudQuotasSettings settings() {
    return settings;
  }

  /**
   * Stores a quota info.
   *
   * @param project the project id
   * @param info the quota info; its {@code service} and {@code quota_id} make its name
   * @return this fake
   */
  public FakeCloudQuotas putQuotaInfo(String project, QuotaInfo info) {
    String name =
        "projects/"
            + project
            + "/locations/global/services/"
            + info.getService()
            + "/quotaInfos/"
            + info.getQuotaId();
    synchronized (lock) {
      infos.put(name, info.toBuilder().setName(name).build());
    }
    return this;
  }

  /**
   * Stores a per-region quota with one value for one region, as the service reports a quota whose
   * only dimension is {@code region}.
   *
   * @param project the project id
   * @param service for example {@code compute.googleapis.com}
   * @param quotaId the quota id
   * @param metric the metric, for example {@code compute.googleapis.com/tpu_lite_podslice_v5}
   * @param region the region the value applies to
   * @param value the quota value
   * @return this fake
   */
  public FakeCloudQuotas putRegionalQuota(
      String project, String service, String quotaId, String metric, String region, long value) {
    return putQuotaInfo(
        project,
        QuotaInfo.newBuilder()
            .setQuotaId(quotaId)
            .setService(service)
            .setMetric(metric)
            .setContainerType(QuotaInfo.ContainerType.PROJECT)
            .addDimensions("region")
            .setIsPrecise(true)
            .addDimensionsInfos(
                DimensionsInfo.newBuilder()
                    .putDimensions("region", region)
                    .setDetails(QuotaDetails.newBuilder().setValue(value))
                    .addApplicableLocations(region))
            .build());
  }

  /**
   * Makes the next call of one RPC fail with {@code PERMISSION_DENIED}.
   *
   * @param method {@code GetQuotaInfo} or {@code ListQuotaInfos}
   * @param permission the IAM permission the message names, for example {@code
   *     cloudquotas.quotas.get}
   * @return this fake
   */
  public FakeCloudQuotas denyNext(String method, String permission) {
    log.denyNext(method, permission);
    return this;
  }

  /** Returns the RPC names called so far, in order. */
  public List<String> calls() {
    return log.calls();
  }

  @Override
  public void close() {
    client.close();
    grpc.close();
  }

  private final class Service extends CloudQuotasGrpc.CloudQuotasImplBase {
    @Override
    public void getQuotaInfo(GetQuotaInfoRequest request, StreamObserver<QuotaInfo> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            log.recordOrDeny("GetQuotaInfo", request.getName());
            QuotaInfo info = infos.get(request.getName());
            if (info == null) {
              throw Status.NOT_FOUND
                  .withDescription("Quota info " + request.getName() + " not found.")
                  .asRuntimeException();
            }
            return info;
          });
    }

    @Override
    public void listQuotaInfos(
        ListQuotaInfosRequest request, StreamObserver<ListQuotaInfosResponse> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            log.recordOrDeny("ListQuotaInfos", request.getParent());
            String prefix = request.getParent() + "/quotaInfos/";
            return ListQuotaInfosResponse.newBuilder()
                .addAllQuotaInfos(
                    infos.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(prefix))
                        .map(Map.Entry::getValue)
                        .toList())
                .build();
          });
    }
  }
}
