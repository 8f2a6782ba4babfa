package io.github.gkeinference.testing.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The fabric8 Kubernetes mock server in CRUD mode, with server-side apply and fault injection.
 *
 * <pre>{@code
 * try (KubernetesTestServer k8s = KubernetesTestServer.start()) {
 *   k8s.failNext("PATCH", "/apis/apps/v1/namespaces/ml/deployments/web", 3, Fault.serverError());
 *   KubernetesClient client = k8s.client();
 *   ...
 * }
 * }</pre>
 *
 * <p>Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}) is emulated on top
 * of the CRUD store, because the mock server does not support it: a missing object is created, an
 * existing one is merged with the applied configuration as a JSON merge patch, and {@code
 * dryRun=All} returns the result without storing it. Field ownership and conflicts between field
 * managers are not modelled; inject a {@link Fault#conflict()} to test conflict handling.
 *
 * <p>Faults are matched on the HTTP method ({@code "*"} for any) and the exact request path without
 * its query string; each rule answers its next {@code times} matching requests, then the request
 * goes to the store as usual. Thread-safe.
 */
public final class KubernetesTestServer implements AutoCloseable {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesMockServer server;
  private final FaultDispatcher dispatcher;
  private final List<KubernetesClient> clients = new ArrayList<>();

  private KubernetesTestServer() {
    dispatcher = new FaultDispatcher();
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
  }

  /** Starts a server with an empty store. */
  public static KubernetesTestServer start() {
    return new KubernetesTestServer();
  }

  /**
   * Returns a client for this server with a 2-second request timeout and the client's own retries
   * turned off, so that the code under test sees every fault. Closed by {@link #close()}.
   */
  public KubernetesClient client() {
    return client(Duration.ofSeconds(2));
  }

  /**
   * Returns a client for this server with the given request timeout and the client's own retries
   * turned off. Closed by {@link #close()}.
   *
   * @param requestTimeout how long the client waits for one response
   * @return the client
   */
  public KubernetesClient client(Duration requestTimeout) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url("/"))
            .withTrustCerts(true)
            .withNamespace("test")
            .withRequestTimeout((int) requestTimeout.toMillis())
            .withRequestRetryBackoffLimit(0)
            .build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  /** Returns the underlying mock server, for expectations the helpers here do not cover. */
  public KubernetesMockServer server() {
    return server;
  }

  /**
   * Makes the next {@code times} requests with this method and path answer {@code fault}.
   *
   * @param method {@code GET}, {@code PATCH}, ... or {@code "*"} for any method
   * @param path the request path without query, for example {@code
   *     /apis/apps/v1/namespaces/ml/deployments/web}
   * @param times how many requests get the fault
   * @param fault the fault
   * @return this server
   */
  public KubernetesTestServer failNext(String method, String path, int times, Fault fault) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    dispatcher.add(new Rule(method, path, times, fault));
    return this;
  }

  /** Returns every request received so far as {@code METHOD path} (path with query), in order. */
  public List<String> requests() {
    return dispatcher.requests();
  }

  /**
   * Returns how many requests with this method and path (without query) were received.
   *
   * @param method the method, or {@code "*"} for any
   * @param path the path without query
   * @return the count
   */
  public long count(String method, String path) {
    return dispatcher.requests().stream()
        .filter(r -> matches(method, path, r.substring(0, r.indexOf(' ')), pathOf(r)))
        .count();
  }

  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(KubernetesClient::close);
      clients.clear();
    }
    server.destroy();
  }

  private static String pathOf(String request) {
    String path = request.substring(request.indexOf(' ') + 1);
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static boolean matches(String ruleMethod, String rulePath, String method, String path) {
    return (ruleMethod.equals("*") || ruleMethod.equalsIgnoreCase(method)) && rulePath.equals(path);
  }

  private static final class Rule {
    final String method;
    final String path;
    int remaining;
    final Fault fault;

    Rule(String method, String path, int remaining, Fault fault) {
      this.method = method;
      this.path = path;
      this.remaining = remaining;
      this.fault = fault;
    }
  }

  private static final class FaultDispatcher extends Dispatcher {
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();

    synchronized void add(Rule rule) {
      rules.add(rule);
    }

    synchronized List<String> requests() {
      return List.copyOf(requests);
    }

    private synchronized Fault takeFault(String method, String path) {
      requests.add(method + " " + path);
      String bare = pathOf(method + " " + path);
      for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
        Rule r = it.next();
        if (matches(r.method, r.path, method, bare)) {
          r.remaining--;
          if (r.remaining == 0) {
            it.remove();
          }
          return r.fault;
        }
      }
      return null;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Fault fault = takeFault(request.getMethod(), request.getPath());
      if (fault != null) {
        return fault.response();
      }
      String contentType = request.getHeader("Content-Type");
      if ("PATCH".equalsIgnoreCase(request.getMethod())
          && contentType != null
          && contentType.contains("apply-patch")) {
        return serverSideApply(request);
      }
      return crud.dispatch(request);
    }

    private MockResponse serverSideApply(RecordedRequest request) {
      String path = request.getPath();
      int q = path.indexOf('?');
      String bare = q < 0 ? path : path.substring(0, q);
      boolean dryRun = q >= 0 && path.substring(q).contains("dryRun=All");
      JsonNode applied = YAML.readTree(request.getUtf8Body());
      String body = JSON.writeValueAsString(applied);
      MockResponse existing = crud.handleGet(bare);
      if (existing.code() == 404) {
        if (dryRun) {
          return json(201, body);
        }
        String collection = bare.substring(0, bare.lastIndexOf('/'));
        MockResponse created =
            crud.dispatch(forward(HttpMethod.POST, collection, "application/json", body));
        return created;
      }
      if (dryRun) {
        JsonNode current = JSON.readTree(existing.getBody().readUtf8());
        return json(200, JSON.writeValueAsString(merge(current, applied)));
      }
      MockResponse patched =
          crud.dispatch(forward(HttpMethod.PATCH, bare, "application/merge-patch+json", body));
      return patched.code() == 202 ? json(200, patched.getBody().readUtf8()) : patched;
    }

    private static RecordedRequest forward(
        HttpMethod method, String path, String contentType, String body) {
      Headers headers = Headers.builder().add("Content-Type", contentType).build();
      return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer().writeUtf8(body));
    }

    private static MockResponse json(int code, String body) {
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }

    /** RFC 7386 JSON merge patch: objects merge, everything else replaces, null removes. */
    private static JsonNode merge(JsonNode target, JsonNode patch) {
      if (!patch.isObject() || !target.isObject()) {
        return patch.deepCopy();
      }
      ObjectNode result = (ObjectNode) target.deepCopy();
      for (Map.Entry<String, JsonNode> e : patch.properties()) {
        if (e.getValue().isNull()) {
          result.remove(e.getKey());
        } else {
          JsonNode old = result.get(e.getKey());
          result.set(e.getKey(), old == null ? e.getValue().deepCopy() : merge(old, e.getValue()));
        }
      }
      return result;
    }
  }
}
