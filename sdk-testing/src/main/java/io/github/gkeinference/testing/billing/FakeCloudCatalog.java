package io.github.gkeinference.testing.billing;

import com.google.cloud.billing.v1.CloudCatalogClient;
import com.google.cloud.billing.v1.CloudCatalogGrpc;
import com.google.cloud.billing.v1.CloudCatalogSettings;
import com.google.cloud.billing.v1.ListSkusRequest;
import com.google.cloud.billing.v1.ListSkusResponse;
import com.google.cloud.billing.v1.Sku;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import io.github.gkeinference.testing.internal.Page;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-process fake of the Cloud Billing Catalog API ({@code
 * google.cloud.billing.v1.CloudCatalog}): {@code ListSkus} answers from the SKUs a test adds to a
 * service, with paging.
 *
 * <p>It is built on the real generated {@link CloudCatalogGrpc.CloudCatalogImplBase} and served
 * over an in-process gRPC channel; {@link #client()} is the real {@link CloudCatalogClient} with no
 * credentials.
 *
 * <pre>{@code
 * try (FakeCloudCatalog billing = FakeCloudCatalog.start()) {
 *   billing.addSku("services/6F81-5844-456A", sku).pageSize(2);
 *   CloudCatalogPrices.fetch(billing.client(), ...);
 * }
 * }</pre>
 *
 * <p>Behaviour that follows the API reference
 * (https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list): a parent that is
 * not {@code services/<id>} fails with {@code INVALID_ARGUMENT}, an unknown service with {@code
 * NOT_FOUND}, an unknown page token with {@code INVALID_ARGUMENT}. The page size is the request's,
 * else {@link #pageSize(int)} (default 5000, the API's maximum). Prices are returned as added (this
 * fake does not convert currencies).
 *
 * <p>Thread-safe. {@link #close()} closes the client, the channel and the server.
 */
public final class FakeCloudCatalog implements AutoCloseable {
  private static final int DEFAULT_PAGE_SIZE = 5000;

  private final Object lock = new Object();
  private final Map<String, List<Sku>> skus = new LinkedHashMap<>();
  private final List<ListSkusRequest> requests = new ArrayList<>();
  private int pageSize = DEFAULT_PAGE_SIZE;

  private final InProcessGrpc grpc;
  private final CloudCatalogSettings settings;
  private final LazyClient<CloudCatalogClient> client;

  private FakeCloudCatalog() {
    grpc = InProcessGrpc.start(new Service());
    settings =
        InProcessGrpc.settings(
            () ->
                CloudCatalogSettings.newBuilder()
                    .setTransportChannelProvider(grpc.channelProvider())
                    .setCredentialsProvider(grpc.credentialsProvider())
                    .build());
    client = LazyClient.of(() -> CloudCatalogClient.create(settings));
  }

  /** Starts a fake with no services. */
  public static FakeCloudCatalog start() {
    return new FakeCloudCatalog();
  }

  /**
   * Returns the real client connected to this fake (created on first use, closed by {@link
   * #close()}).
   */
  public CloudCatalogClient client() {
    return client.get();
  }

  /** Returns client settings that reach this fake, for code that builds its own client. */
  public CloudCatalogSettings settings() {
    return settings;
  }

  /**
   * Adds a SKU to a service (creating the service).
   *
   * @param service the service name, {@code services/<id>}
   * @param sku the SKU
   * @return this fake
   */
  public FakeCloudCatalog addSku(String service, Sku sku) {
    synchronized (lock) {
      skus.computeIfAbsent(service, s -> new ArrayList<>()).add(sku);
    }
    return this;
  }

  /**
   * Sets the page size used when a request does not set one.
   *
   * @param size at least 1
   * @return this fake
   */
  public FakeCloudCatalog pageSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1");
    }
    synchronized (lock) {
      pageSize = size;
    }
    return this;
  }

  /** Returns every {@code ListSkus} request received, in order. */
  public List<ListSkusRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    client.close();
    grpc.close();
  }

  private ListSkusResponse list(ListSkusRequest request) {
    synchronized (lock) {
      requests.add(request);
      if (!request.getParent().matches("services/[^/]+")) {
        throw Status.INVALID_ARGUMENT
            .withDescription("parent must be services/<service id>: " + request.getParent())
            .asRuntimeException();
      }
      List<Sku> all = skus.get(request.getParent());
      if (all == null) {
        throw Status.NOT_FOUND
            .withDescription("service " + request.getParent() + " not found")
            .asRuntimeException();
      }
      int size = request.getPageSize() > 0 ? request.getPageSize() : pageSize;
      Page<Sku> page = Page.of(all, size, request.getPageToken());
      return ListSkusResponse.newBuilder()
          .addAllSkus(page.items())
          .setNextPageToken(page.nextToken())
          .build();
    }
  }

  private final class Service extends CloudCatalogGrpc.CloudCatalogImplBase {
    @Override
    public void listSkus(ListSkusRequest request, StreamObserver<ListSkusResponse> response) {
      ListSkusResponse page;
      try {
        page = list(request);
      } catch (RuntimeException e) {
        response.onError(e);
        return;
      }
      response.onNext(page);
      response.onCompleted();
    }
  }
}
