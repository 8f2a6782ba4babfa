package io.github.gkeinference.testing.serviceusage;

import com.google.api.serviceusage.v1.BatchGetServicesRequest;
import com.google.api.serviceusage.v1.BatchGetServicesResponse;
import com.google.api.serviceusage.v1.GetServiceRequest;
import com.google.api.serviceusage.v1.Service;
import com.google.api.serviceusage.v1.ServiceConfig;
import com.google.api.serviceusage.v1.ServiceUsageClient;
import com.google.api.serviceusage.v1.ServiceUsageGrpc;
import com.google.api.serviceusage.v1.ServiceUsageSettings;
import com.google.api.serviceusage.v1.State;
import io.github.gkeinference.testing.internal.CallLog;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-process fake of the Service Usage API ({@code google.api.serviceusage.v1.ServiceUsage}):
 * which services (APIs) a project has enabled, read with {@code GetService} or {@code
 * BatchGetServices}.
 *
 * <p>Built on the real generated {@link ServiceUsageGrpc.ServiceUsageImplBase} and served over an
 * in-process gRPC channel; {@link #client()} is the real {@link ServiceUsageClient} with no
 * credentials.
 *
 * <pre>{@code
 * try (FakeServiceUsage usage = FakeServiceUsage.start()) {
 *   usage.enable("my-project", "container.googleapis.com", "compute.googleapis.com");
 * }
 * }</pre>
 *
 * <p>Behaviour that mirrors the service: a service not enabled is reported {@code DISABLED} (every
 * public service exists); {@code BatchGetServices} takes at most 30 names ({@code INVALID_ARGUMENT}
 * beyond, as its reference says), each {@code projects/{project}/services/{name}} under the
 * request's parent; a call made to fail with {@link #denyNext(String, String)} is {@code
 * PERMISSION_DENIED}. Thread-safe. {@link #close()} closes the client, the channel and the server.
 */
public final class FakeServiceUsage implements AutoCloseable {
  /**
   * The most names one {@code BatchGetServices} takes:
   * https://cloud.google.com/service-usage/docs/reference/rest/v1/services/batchGet.
   */
  public static final int MAX_BATCH = 30;

  private final Object lock = new Object();
  private final Map<String, Set<String>> enabled = new LinkedHashMap<>();
  private final CallLog log = new CallLog();
  private final InProcessGrpc grpc;
  private final ServiceUsageSettings settings;
  private final LazyClient<ServiceUsageClient> client;

  private FakeServiceUsage() {
    grpc = InProcessGrpc.start(new Api());
    settings =
        InProcessGrpc.settings(
            () ->
                ServiceUsageSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    client = LazyClient.of(() -> ServiceUsageClient.create(settings));
  }

  /** Starts a fake in which no project has any service enabled. */
  public static FakeServiceUsage start() {
    return new FakeServiceUsage();
  }

  /** Returns the real client connected to this fake (closed by {@link #close()}). */
  public ServiceUsageClient client() {
    return client.get();
  }

  /** Returns client settings that reach this fake, for code that builds its own client. */
  public ServiceUsageSettings settings() {
    return settings;
  }

  /**
   * Enables services in a project.
   *
   * @param project the project id
   * @param services for example {@code container.googleapis.com}
   * @return this fake
   */
  public FakeServiceUsage enable(String project, String... services) {
    synchronized (lock) {
      enabled.computeIfAbsent(project, k -> new LinkedHashSet<>()).addAll(List.of(services));
    }
    return this;
  }

  /**
   * Makes the next call of one RPC fail with {@code PERMISSION_DENIED}.
   *
   * @param method {@code GetService} or {@code BatchGetServices}
   * @param permission the IAM permission the message names, for example {@code
   *     serviceusage.services.get}
   * @return this fake
   */
  public FakeServiceUsage denyNext(String method, String permission) {
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

  /** Must be called with the lock held. */
  private Service service(String name) {
    String[] parts = name.split("/");
    if (parts.length != 4 || !parts[0].equals("projects") || !parts[2].equals("services")) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Invalid service name '" + name + "'.")
          .asRuntimeException();
    }
    boolean on = enabled.getOrDefault(parts[1], Set.of()).contains(parts[3]);
    return Service.newBuilder()
        .setName(name)
        .setParent("projects/" + parts[1])
        .setConfig(ServiceConfig.newBuilder().setName(parts[3]))
        .setState(on ? State.ENABLED : State.DISABLED)
        .build();
  }

  private final class Api extends ServiceUsageGrpc.ServiceUsageImplBase {
    @Override
    public void getService(GetServiceRequest request, StreamObserver<Service> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            log.recordOrDeny("GetService", request.getName());
            return service(request.getName());
          });
    }

    @Override
    public void batchGetServices(
        BatchGetServicesRequest request, StreamObserver<BatchGetServicesResponse> observer) {
      CallLog.complete(
          lock,
          observer,
          () -> {
            log.recordOrDeny("BatchGetServices", request.getParent());
            if (request.getNamesCount() > MAX_BATCH) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("At most " + MAX_BATCH + " services per request.")
                  .asRuntimeException();
            }
            BatchGetServicesResponse.Builder out = BatchGetServicesResponse.newBuilder();
            for (String name : request.getNamesList()) {
              if (!name.startsWith(request.getParent() + "/services/")) {
                throw Status.INVALID_ARGUMENT
                    .withDescription("Service " + name + " is not under " + request.getParent())
                    .asRuntimeException();
              }
              out.addServices(service(name));
            }
            return out.build();
          });
    }
  }
}
