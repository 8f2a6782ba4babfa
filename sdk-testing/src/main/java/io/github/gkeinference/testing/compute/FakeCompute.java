package io.github.gkeinference.testing.compute;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.httpjson.InstantiatingHttpJsonChannelProvider;
import com.google.cloud.compute.v1.AcceleratorType;
import com.google.cloud.compute.v1.AcceleratorTypeAggregatedList;
import com.google.cloud.compute.v1.AcceleratorTypeList;
import com.google.cloud.compute.v1.AcceleratorTypesClient;
import com.google.cloud.compute.v1.AcceleratorTypesScopedList;
import com.google.cloud.compute.v1.AcceleratorTypesSettings;
import com.google.cloud.compute.v1.Quota;
import com.google.cloud.compute.v1.Region;
import com.google.cloud.compute.v1.RegionsClient;
import com.google.cloud.compute.v1.RegionsSettings;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.gkeinference.testing.internal.CallLog;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import io.github.gkeinference.testing.internal.LazyClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A fake of the Compute Engine API's {@code regions.get}, {@code acceleratorTypes.list} and {@code
 * acceleratorTypes.aggregatedList}, served by a JDK HTTP server on the loopback interface.
 *
 * <p>The {@code google-cloud-compute} client speaks HTTP/JSON only (no gRPC), so this fake answers
 * the real REST paths of Compute Engine v1 ({@code GET
 * /compute/v1/projects/{project}/regions/{region}}, {@code GET
 * /compute/v1/projects/{project}/zones/{zone}/acceleratorTypes}, {@code GET
 * /compute/v1/projects/{project}/aggregated/acceleratorTypes}) with the JSON of the real messages
 * ({@link Region}, {@link AcceleratorTypeList}, {@link AcceleratorTypeAggregatedList}), printed by
 * protobuf's {@link JsonFormat} as the client parses them. {@link #regionsClient()} and {@link
 * #acceleratorTypesClient()} are the real clients pointed at it, with no credentials.
 *
 * <pre>{@code
 * try (FakeCompute compute = FakeCompute.start()) {
 *   compute.putRegion("my-project", "us-central1", List.of("us-central1-a"))
 *       .putQuota("my-project", "us-central1", "NVIDIA_L4_GPUS", 8, 0)
 *       .offerAccelerator("my-project", "us-central1-a", "nvidia-l4");
 *   Region r = compute.regionsClient().get("my-project", "us-central1");
 * }
 * }</pre>
 *
 * <p>Behaviour that mirrors Compute Engine: an unknown project or region is {@code 404}; a call
 * made to fail with {@link #denyNext(String, String)} answers {@code 403} with Compute Engine's
 * error body ({@code error.code}, {@code error.message}, {@code error.errors[].reason
 * "forbidden"}), which the client turns into {@code PERMISSION_DENIED}. Thread-safe. {@link
 * #close()} closes the clients and stops the server.
 */
public final class FakeCompute implements AutoCloseable {
  private static final Pattern REGION =
      Pattern.compile("/compute/v1/projects/([^/]+)/regions/([^/]+)");
  private static final Pattern ZONE_TYPES =
      Pattern.compile("/compute/v1/projects/([^/]+)/zones/([^/]+)/acceleratorTypes");
  private static final Pattern AGGREGATED_TYPES =
      Pattern.compile("/compute/v1/projects/([^/]+)/aggregated/acceleratorTypes");

  private final Object lock = new Object();
  private final Map<String, Region> regions = new LinkedHashMap<>();
  private final Map<String, List<AcceleratorType>> typesByZone = new TreeMap<>();
  private final CallLog log = new CallLog();
  private final HttpServer server;
  private final String endpoint;
  private final LazyClient<RegionsClient> regionsClient;
  private final LazyClient<AcceleratorTypesClient> acceleratorTypesClient;

  private FakeCompute() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/compute/v1/", this::handle);
    server.start();
    endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    regionsClient =
        LazyClient.of(
            () ->
                RegionsClient.create(
                    InProcessGrpc.settings(
                        () ->
                            RegionsSettings.newBuilder()
                                .setTransportChannelProvider(channel())
                                .setCredentialsProvider(NoCredentialsProvider.create())
                                .build())));
    acceleratorTypesClient =
        LazyClient.of(
            () ->
                AcceleratorTypesClient.create(
                    InProcessGrpc.settings(
                        () ->
                            AcceleratorTypesSettings.newBuilder()
                                .setTransportChannelProvider(channel())
                                .setCredentialsProvider(NoCredentialsProvider.create())
                                .build())));
  }

  /** Starts a fake with no regions. */
  public static FakeCompute start() {
    return new FakeCompute();
  }

  private InstantiatingHttpJsonChannelProvider channel() {
    return InstantiatingHttpJsonChannelProvider.newBuilder().setEndpoint(endpoint).build();
  }

  /** Returns the fake's base URL, {@code http://127.0.0.1:<port>}, for clients built elsewhere. */
  public String endpoint() {
    return endpoint;
  }

  /** Returns the real regions client pointed at this fake (closed by {@link #close()}). */
  public RegionsClient regionsClient() {
    return regionsClient.get();
  }

  /**
   * Returns the real accelerator types client pointed at this fake (closed by {@link #close()}).
   */
  public AcceleratorTypesClient acceleratorTypesClient() {
    return acceleratorTypesClient.get();
  }

  /**
   * Stores a region with its zones and no quotas.
   *
   * @param project the project id
   * @param region for example {@code us-central1}
   * @param zones the region's zones, for example {@code us-central1-a}
   * @return this fake
   */
  public FakeCompute putRegion(String project, String region, List<String> zones) {
    Region.Builder r =
        Region.newBuilder()
            .setKind("compute#region")
            .setName(region)
            .setStatus("UP")
            .setSelfLink(selfLink(project, "regions/" + region));
    for (String z : zones) {
      r.addZones(selfLink(project, "zones/" + z));
    }
    synchronized (lock) {
      regions.put(project + "/" + region, r.build());
    }
    return this;
  }

  /**
   * Sets one regional quota of a stored region (replacing the metric if present).
   *
   * @param project the project id
   * @param region the region
   * @param metric for example {@code NVIDIA_L4_GPUS}
   * @param limit the quota limit
   * @param usage the current usage
   * @return this fake
   */
  public FakeCompute putQuota(
      String project, String region, String metric, double limit, double usage) {
    synchronized (lock) {
      Region r = regions.get(project + "/" + region);
      if (r == null) {
        throw new IllegalStateException("no region " + region + " in " + project + "; putRegion");
      }
      List<Quota> quotas = new ArrayList<>(r.getQuotasList());
      quotas.removeIf(q -> q.getMetric().equals(metric));
      quotas.add(Quota.newBuilder().setMetric(metric).setLimit(limit).setUsage(usage).build());
      regions.put(project + "/" + region, r.toBuilder().clearQuotas().addAllQuotas(quotas).build());
    }
    return this;
  }

  /**
   * Offers an accelerator type in a zone.
   *
   * @param project the project id
   * @param zone for example {@code us-central1-a}
   * @param name the accelerator type, for example {@code nvidia-l4}
   * @return this fake
   */
  public FakeCompute offerAccelerator(String project, String zone, String name) {
    AcceleratorType t =
        AcceleratorType.newBuilder()
            .setKind("compute#acceleratorType")
            .setName(name)
            .setDescription(name)
            .setMaximumCardsPerInstance(8)
            .setZone(selfLink(project, "zones/" + zone))
            .setSelfLink(selfLink(project, "zones/" + zone + "/acceleratorTypes/" + name))
            .build();
    synchronized (lock) {
      typesByZone.computeIfAbsent(project + "/" + zone, k -> new ArrayList<>()).add(t);
    }
    return this;
  }

  /**
   * Makes the next call of one REST method answer {@code 403 Forbidden}, as Compute Engine does
   * when the caller lacks a permission.
   *
   * @param method {@code regions.get}, {@code acceleratorTypes.list} or {@code
   *     acceleratorTypes.aggregatedList}
   * @param permission the IAM permission the message names, for example {@code compute.regions.get}
   * @return this fake
   */
  public FakeCompute denyNext(String method, String permission) {
    log.denyNext(method, permission);
    return this;
  }

  /** Returns the REST methods called so far, in order, for example {@code regions.get}. */
  public List<String> calls() {
    return log.calls();
  }

  @Override
  public void close() {
    regionsClient.close();
    acceleratorTypesClient.close();
    server.stop(0);
  }

  private static String selfLink(String project, String path) {
    return "https://www.googleapis.com/compute/v1/projects/" + project + "/" + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, error(405, "Method not allowed.", "badRequest"));
        return;
      }
      String path = URI.create(exchange.getRequestURI().getRawPath()).getPath();
      int[] status = {200};
      String body;
      synchronized (lock) {
        body = answer(path, status);
      }
      send(exchange, status[0], body);
    }
  }

  /** Must be called with the lock held. */
  private String answer(String path, int[] status) {
    Matcher m;
    if ((m = REGION.matcher(path)).matches()) {
      String resource = "projects/" + m.group(1) + "/regions/" + m.group(2);
      String denied = denied("regions.get", resource, status);
      if (denied != null) {
        return denied;
      }
      Region r = regions.get(m.group(1) + "/" + m.group(2));
      return r == null ? notFound(resource, status) : json(r);
    }
    if ((m = ZONE_TYPES.matcher(path)).matches()) {
      String resource = "projects/" + m.group(1) + "/zones/" + m.group(2);
      String denied = denied("acceleratorTypes.list", resource, status);
      if (denied != null) {
        return denied;
      }
      return json(
          AcceleratorTypeList.newBuilder()
              .setKind("compute#acceleratorTypeList")
              .addAllItems(typesByZone.getOrDefault(m.group(1) + "/" + m.group(2), List.of()))
              .build());
    }
    if ((m = AGGREGATED_TYPES.matcher(path)).matches()) {
      String project = m.group(1);
      String denied = denied("acceleratorTypes.aggregatedList", "projects/" + project, status);
      if (denied != null) {
        return denied;
      }
      AcceleratorTypeAggregatedList.Builder list =
          AcceleratorTypeAggregatedList.newBuilder()
              .setKind("compute#acceleratorTypeAggregatedList");
      typesByZone.forEach(
          (key, types) -> {
            if (key.startsWith(project + "/")) {
              list.putItems(
                  "zones/" + key.substring(project.length() + 1),
                  AcceleratorTypesScopedList.newBuilder().addAllAcceleratorTypes(types).build());
            }
          });
      return json(list.build());
    }
    status[0] = 404;
    return error(404, "The requested URL " + path + " was not found.", "notFound");
  }

  /** Must be called with the lock held. Records the call and answers a queued denial, if any. */
  private @Nullable String denied(String method, String resource, int[] status) {
    String permission = log.record(method);
    if (permission == null) {
      return null;
    }
    status[0] = 403;
    return error(
        403, "Required '" + permission + "' permission for '" + resource + "'", "forbidden");
  }

  private static String notFound(String resource, int[] status) {
    status[0] = 404;
    return error(404, "The resource '" + resource + "' was not found", "notFound");
  }

  /** Compute Engine's error body. */
  private static String error(int code, String message, String reason) {
    String m = message.replace("\\", "\\\\").replace("\"", "\\\"");
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":\""
        + m
        + "\",\"errors\":[{\"message\":\""
        + m
        + "\",\"domain\":\"global\",\"reason\":\""
        + reason
        + "\"}]}}";
  }

  private static String json(Message message) {
    try {
      return JsonFormat.printer().print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
