package io.github.gkeinference.testing.giq;

import com.google.cloud.gkerecommender.v1.FetchBenchmarkingDataRequest;
import com.google.cloud.gkerecommender.v1.FetchBenchmarkingDataResponse;
import com.google.cloud.gkerecommender.v1.FetchModelsRequest;
import com.google.cloud.gkerecommender.v1.FetchModelsResponse;
import com.google.cloud.gkerecommender.v1.FetchProfilesRequest;
import com.google.cloud.gkerecommender.v1.FetchProfilesResponse;
import com.google.cloud.gkerecommender.v1.GkeInferenceQuickstartClient;
import com.google.cloud.gkerecommender.v1.GkeInferenceQuickstartGrpc;
import com.google.cloud.gkerecommender.v1.GkeInferenceQuickstartSettings;
import com.google.cloud.gkerecommender.v1.ModelServerInfo;
import com.google.cloud.gkerecommender.v1.PerformanceRequirements;
import com.google.cloud.gkerecommender.v1.PerformanceStats;
import com.google.cloud.gkerecommender.v1.Profile;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import io.github.gkeinference.testing.internal.Page;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An in-process fake of GKE Inference Quickstart ({@code
 * google.cloud.gkerecommender.v1.GkeInferenceQuickstart}): {@code FetchModels}, {@code
 * FetchProfiles} and {@code FetchBenchmarkingData} answer from the profiles a test adds, with
 * paging.
 *
 * <p>It is built on the real generated {@link
 * GkeInferenceQuickstartGrpc.GkeInferenceQuickstartImplBase} and served over an in-process gRPC
 * channel; {@link #client()} is the real {@link GkeInferenceQuickstartClient} with no credentials.
 *
 * <pre>{@code
 * try (FakeGkeInferenceQuickstart giq = FakeGkeInferenceQuickstart.start()) {
 *   giq.addProfile(profile).pageSize(2);
 *   new GiqProfiles(giq.client()).profiles(query);
 * }
 * }</pre>
 *
 * <p>Behaviour that follows the API ({@code google/cloud/gkerecommender/v1/gkerecommender.proto} of
 * googleapis, as in {@code proto-google-cloud-gkerecommender-v1} 0.8.0, and
 * https://docs.cloud.google.com/php/docs/reference/cloud-gkerecommender/latest/V1.FetchProfilesRequest):
 * empty filters match everything; a profile is returned only when one of its performance stats
 * meets the request's {@code performance_requirements} (NTPOT and TTFT at or below the targets);
 * {@code FetchBenchmarkingData} without {@code model_server_info.model} fails with {@code
 * INVALID_ARGUMENT}; an unknown page token fails with {@code INVALID_ARGUMENT}. The page size is
 * the request's, else {@link #pageSize(int)} (default 50, chosen by this fake). {@link
 * #denyPermission(String)} makes every call fail with {@code PERMISSION_DENIED} and a {@code
 * google.rpc.ErrorInfo} detail whose metadata {@code permission} names the permission, as Google
 * APIs report IAM denials (https://cloud.google.com/apis/design/errors).
 *
 * <p>Thread-safe. {@link #close()} closes the client, the channel and the server.
 */
public final class FakeGkeInferenceQuickstart implements AutoCloseable {
  private static final int DEFAULT_PAGE_SIZE = 50;

  private final Object lock = new Object();
  private final List<Profile> profiles = new ArrayList<>();
  private final List<Message> requests = new ArrayList<>();
  private int pageSize = DEFAULT_PAGE_SIZE;
  private @Nullable String deniedPermission;
  private String comments = "";

  private final InProcessGrpc grpc;
  private final GkeInferenceQuickstartSettings settings;
  private final LazyClient<GkeInferenceQuickstartClient> client;

  private FakeGkeInferenceQuickstart() {
    grpc = InProcessGrpc.start(new Service());
    settings =
        InProcessGrpc.settings(
            () ->
                GkeInferenceQuickstartSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    client = LazyClient.of(() -> GkeInferenceQuickstartClient.create(settings));
  }

  /** Starts a fake with no profiles. */
  public static FakeGkeInferenceQuickstart start() {
    return new FakeGkeInferenceQuickstart();
  }

  /**
   * Returns the real client connected to this fake (created on first use, closed by {@link
   * #close()}).
   */
  public GkeInferenceQuickstartClient client() {
    return client.get();
  }

  /** Returns client settings that reach this fake, for code that builds its own client. */
  public GkeInferenceQuickstartSettings settings() {
    return settings;
  }

  /**
   * Adds a profile that the fetch calls return.
   *
   * @param profile the profile
   * @return this fake
   */
  public FakeGkeInferenceQuickstart addProfile(Profile profile) {
    synchronized (lock) {
      profiles.add(profile);
    }
    return this;
  }

  /**
   * Sets the page size used when a request does not set one.
   *
   * @param size at least 1
   * @return this fake
   */
  public FakeGkeInferenceQuickstart pageSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1");
    }
    synchronized (lock) {
      pageSize = size;
    }
    return this;
  }

  /**
   * Sets the {@code comments} of every {@code FetchProfiles} response.
   *
   * @param text the comments
   * @return this fake
   */
  public FakeGkeInferenceQuickstart comments(String text) {
    synchronized (lock) {
      comments = text;
    }
    return this;
  }

  /**
   * Makes every call fail with {@code PERMISSION_DENIED} naming this permission, or succeed again
   * with {@code null}.
   *
   * @param permission the IAM permission the caller lacks, or null
   * @return this fake
   */
  public FakeGkeInferenceQuickstart denyPermission(@Nullable String permission) {
    synchronized (lock) {
      deniedPermission = permission;
    }
    return this;
  }

  /** Returns every request received, in order. */
  public List<Message> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    client.close();
    grpc.close();
  }

  /** Logs a request and returns a denial when permission is denied, else null. */
  private @Nullable Throwable admit(Message request, String method) {
    synchronized (lock) {
      requests.add(request);
      if (deniedPermission == null) {
        return null;
      }
      ErrorInfo info =
          ErrorInfo.newBuilder()
              .setReason("IAM_PERMISSION_DENIED")
              .setDomain("gkerecommender.googleapis.com")
              .putMetadata("permission", deniedPermission)
              .putMetadata("method", method)
              .build();
      return StatusProto.toStatusRuntimeException(
          com.google.rpc.Status.newBuilder()
              .setCode(Code.PERMISSION_DENIED_VALUE)
              .setMessage("Permission '" + deniedPermission + "' denied on resource")
              .addDetails(Any.pack(info))
              .build());
    }
  }

  private static boolean matches(String filter, String value) {
    return filter.isEmpty() || filter.equals(value);
  }

  private static boolean matches(ModelServerInfo filter, ModelServerInfo value) {
    return matches(filter.getModel(), value.getModel())
        && matches(filter.getModelServer(), value.getModelServer())
        && matches(filter.getModelServerVersion(), value.getModelServerVersion());
  }

  private static boolean meets(PerformanceRequirements r, PerformanceStats s) {
    return (!r.hasTargetNtpotMilliseconds()
            || s.getNtpotMilliseconds() <= r.getTargetNtpotMilliseconds())
        && (!r.hasTargetTtftMilliseconds()
            || s.getTtftMilliseconds() <= r.getTargetTtftMilliseconds());
  }

  private <T> Page<T> page(List<T> all, int requestedSize, String token) {
    int size;
    synchronized (lock) {
      size = requestedSize > 0 ? requestedSize : pageSize;
    }
    return Page.of(all, size, token);
  }

  private List<Profile> select(Predicate<Profile> filter) {
    synchronized (lock) {
      return profiles.stream().filter(filter).toList();
    }
  }

  /** Answers one call: the denial when permission is denied, else the response or its error. */
  private <T> void respond(
      Message request, String method, StreamObserver<T> observer, Supplier<T> answer) {
    Throwable denied = admit(request, method);
    if (denied != null) {
      observer.onError(denied);
      return;
    }
    T response;
    try {
      response = answer.get();
    } catch (RuntimeException e) {
      observer.onError(e);
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private final class Service extends GkeInferenceQuickstartGrpc.GkeInferenceQuickstartImplBase {
    @Override
    public void fetchModels(
        FetchModelsRequest request, StreamObserver<FetchModelsResponse> response) {
      respond(
          request,
          "FetchModels",
          response,
          () -> {
            List<String> models =
                select(p -> true).stream()
                    .map(p -> p.getModelServerInfo().getModel())
                    .distinct()
                    .toList();
            Page<String> page = page(models, request.getPageSize(), request.getPageToken());
            return FetchModelsResponse.newBuilder()
                .addAllModels(page.items())
                .setNextPageToken(page.nextToken())
                .build();
          });
    }

    @Override
    public void fetchProfiles(
        FetchProfilesRequest request, StreamObserver<FetchProfilesResponse> response) {
      respond(
          request,
          "FetchProfiles",
          response,
          () -> {
            ModelServerInfo filter =
                ModelServerInfo.newBuilder()
                    .setModel(request.getModel())
                    .setModelServer(request.getModelServer())
                    .setModelServerVersion(request.getModelServerVersion())
                    .build();
            PerformanceRequirements r = request.getPerformanceRequirements();
            List<Profile> all =
                select(
                    p ->
                        matches(filter, p.getModelServerInfo())
                            && p.getPerformanceStatsList().stream().anyMatch(s -> meets(r, s)));
            Page<Profile> page = page(all, request.getPageSize(), request.getPageToken());
            String text;
            synchronized (lock) {
              text = comments;
            }
            return FetchProfilesResponse.newBuilder()
                .addAllProfile(page.items())
                .setComments(text)
                .setNextPageToken(page.nextToken())
                .build();
          });
    }

    @Override
    public void fetchBenchmarkingData(
        FetchBenchmarkingDataRequest request,
        StreamObserver<FetchBenchmarkingDataResponse> response) {
      respond(
          request,
          "FetchBenchmarkingData",
          response,
          () -> {
            if (request.getModelServerInfo().getModel().isEmpty()) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("model_server_info.model is required")
                  .asRuntimeException();
            }
            List<Profile> all =
                select(
                    p ->
                        matches(request.getModelServerInfo(), p.getModelServerInfo())
                            && matches(request.getInstanceType(), p.getInstanceType()));
            return FetchBenchmarkingDataResponse.newBuilder().addAllProfile(all).build();
          });
    }
  }
}
