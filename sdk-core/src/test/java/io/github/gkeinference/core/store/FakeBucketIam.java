package io.github.gkeinference.core.store;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process fake of the Cloud Storage JSON API's bucket IAM methods ({@code GET} and {@code PUT
 * /storage/v1/b/BUCKET/iam}), served on a loopback port so that the real {@code
 * google-cloud-storage} client talks to it over HTTP. {@code LocalStorageHelper} has no IAM.
 *
 * <p>Like the real service, it answers a {@code PUT} whose etag is not the policy's current one
 * with HTTP 412 {@code conditionNotMet}, and a missing permission with HTTP 403 naming it
 * (https://cloud.google.com/storage/docs/json_api/v1/buckets/setIamPolicy, .../getIamPolicy).
 *
 * <p>It also answers {@code GET /storage/v1/b/BUCKET} with a bucket's location fields ({@code
 * location}, {@code locationType}, {@code customPlacementConfig.dataLocations}, as in
 * https://cloud.google.com/storage/docs/json_api/v1/buckets), which {@code LocalStorageHelper} does
 * not implement either.
 */
final class FakeBucketIam implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern PATH = Pattern.compile("/storage/v1/b/([^/]+)/iam");
  private static final Pattern BUCKET_PATH = Pattern.compile("/storage/v1/b/([^/]+)");

  private final HttpServer server;
  private final Map<String, ObjectNode> policies = new HashMap<>();
  private final Map<String, ObjectNode> buckets = new HashMap<>();
  private final Map<String, Integer> versions = new HashMap<>();
  private final Set<String> denied = new HashSet<>();
  private final List<String> requests = new ArrayList<>();
  private int concurrentWrites;

  FakeBucketIam() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Returns a real Storage client pointed at this fake, without credentials or client retries. */
  Storage storage() {
    return StorageOptions.newBuilder()
        .setHost("http://127.0.0.1:" + server.getAddress().getPort())
        .setProjectId("fake-project")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }

  /** Creates a bucket whose policy has one binding. */
  synchronized void createBucket(String bucket, String role, String member) {
    ObjectNode policy = JSON.createObjectNode();
    ArrayNode bindings = policy.putArray("bindings");
    ObjectNode b = bindings.addObject();
    b.put("role", role);
    b.putArray("members").add(member);
    policies.put(bucket, policy);
    versions.put(bucket, 1);
  }

  /** Stores a bucket's location fields, as the JSON API reports them. */
  synchronized void putBucket(
      String bucket, String location, String locationType, List<String> dataLocations) {
    ObjectNode b = JSON.createObjectNode();
    b.put("kind", "storage#bucket");
    b.put("id", bucket);
    b.put("name", bucket);
    b.put("location", location);
    b.put("locationType", locationType);
    if (!dataLocations.isEmpty()) {
      ArrayNode data = b.putObject("customPlacementConfig").putArray("dataLocations");
      dataLocations.forEach(data::add);
    }
    buckets.put(bucket, b);
  }

  /** Makes the next {@code n} PUTs lose to another writer that changed the policy first. */
  synchronized void concurrentWritesBeforeNextSets(int n) {
    concurrentWrites = n;
  }

  /** Denies a permission ({@code storage.buckets.getIamPolicy} or {@code ...setIamPolicy}). */
  synchronized void deny(String permission) {
    denied.add(permission);
  }

  /** Returns the requests served, as {@code METHOD bucket}. */
  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** Returns the members of a role's unconditional binding on a bucket. */
  synchronized List<String> members(String bucket, String role) {
    List<String> out = new ArrayList<>();
    for (JsonNode b : policies.get(bucket).path("bindings")) {
      if (b.path("role").asString().equals(role) && !b.has("condition")) {
        b.path("members").forEach(m -> out.add(m.asString()));
      }
    }
    return out;
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher metadata = BUCKET_PATH.matcher(exchange.getRequestURI().getPath());
      if (metadata.matches() && exchange.getRequestMethod().equals("GET")) {
        String bucket = metadata.group(1);
        requests.add("GET " + bucket + " metadata");
        if (denied.contains(BucketPlacement.GET_PERMISSION)) {
          error(exchange, 403, "forbidden", "Permission 'storage.buckets.get' denied");
        } else if (!buckets.containsKey(bucket)) {
          error(exchange, 404, "notFound", "The specified bucket does not exist.");
        } else {
          send(exchange, 200, buckets.get(bucket));
        }
        return;
      }
      Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
      if (!m.matches()) {
        error(exchange, 404, "notFound", "Not Found");
        return;
      }
      String bucket = m.group(1);
      String method = exchange.getRequestMethod();
      requests.add(method + " " + bucket);
      ObjectNode policy = policies.get(bucket);
      if (policy == null) {
        error(exchange, 404, "notFound", "The specified bucket does not exist.");
        return;
      }
      String permission =
          method.equals("GET")
              ? BucketIamProvisioner.GET_PERMISSION
              : BucketIamProvisioner.SET_PERMISSION;
      if (denied.contains(permission)) {
        error(
            exchange,
            403,
            "forbidden",
            "caller does not have "
                + permission
                + " access to the Google Cloud Storage bucket. Permission '"
                + permission
                + "' denied on resource (or it may not exist).");
        return;
      }
      if (method.equals("PUT")) {
        JsonNode body = JSON.readTree(body(exchange));
        if (concurrentWrites > 0) {
          // another writer changes the policy between this caller's read and write
          concurrentWrites--;
          ObjectNode other = ((ArrayNode) policy.get("bindings")).addObject();
          other.put("role", "roles/storage.legacyBucketReader");
          other.putArray("members").add("user:other-writer-" + concurrentWrites + "@example.com");
          versions.merge(bucket, 1, Integer::sum);
        }
        if (!etag(versions.get(bucket)).equals(body.path("etag").asString())) {
          error(exchange, 412, "conditionNotMet", "Precondition Failed");
          return;
        }
        ObjectNode updated = JSON.createObjectNode();
        updated.set("bindings", body.path("bindings").deepCopy());
        policies.put(bucket, updated);
        versions.merge(bucket, 1, Integer::sum);
      } else if (!method.equals("GET")) {
        error(exchange, 405, "methodNotAllowed", method);
        return;
      }
      ObjectNode out = JSON.createObjectNode();
      out.put("kind", "storage#policy");
      out.put("resourceId", "projects/_/buckets/" + bucket);
      out.put("version", 1);
      out.put("etag", etag(versions.get(bucket)));
      out.set("bindings", policies.get(bucket).path("bindings").deepCopy());
      send(exchange, 200, out);
    }
  }

  private static String etag(int version) {
    return java.util.Base64.getEncoder()
        .encodeToString(("v" + version).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  private static void error(HttpExchange exchange, int code, String reason, String message)
      throws IOException {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode error = out.putObject("error");
    error.put("code", code);
    error.put("message", message);
    ObjectNode e = error.putArray("errors").addObject();
    e.put("message", message);
    e.put("domain", "global");
    e.put("reason", reason);
    send(exchange, code, out);
  }

  private static void send(HttpExchange exchange, int code, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
