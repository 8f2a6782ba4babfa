package io.github.gkeinference.serving.gateway;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedResource;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.internal.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link MultiModelGateway}: its {@link InferenceGateway}'s bundle with the weighted
 * HTTPRoute replaced by the model-name route, plus the body-based router's adapter ConfigMaps. One
 * instance per render call.
 */
final class MultiModelRenderer {
  private static final String APP = "inference-gateway";
  private static final String ROUTE_KIND = "HTTPRoute";

  private final MultiModelGateway spec;

  MultiModelRenderer(MultiModelGateway spec) {
    this.spec = spec;
  }

  RenderedSet render() {
    RenderedSet gateway = spec.inferenceGateway().render();
    RenderedSet.Builder out = RenderedSet.builder();
    for (RenderedResource r : gateway) {
      boolean weightedRoute = r.kind().equals(ROUTE_KIND) && r.name().equals(spec.name());
      if (!weightedRoute) {
        out.add(r);
      }
    }
    gateway.workloads().forEach(out::addWorkload);
    out.add(route());
    if (spec.bodyBasedRouting()) {
      for (MultiModelGateway.ModelRoute m : spec.models()) {
        out.add(adapterMap(m));
      }
    }
    return out.build();
  }

  /**
   * The route: one rule per model name, base models first, each matching {@link
   * MultiModelGateway#MODEL_HEADER} exactly (GKE configure-body-based-routing; GIE v1.5.0
   * config/charts/inferencepool/templates/httproute.yaml) and sending it to its pool. Without
   * body-based routing the single model's rule matches the path alone. No {@code timeouts.request}:
   * on GKE the timeout is the pool's GCPBackendPolicy, as in {@link GatewayRenderer}.
   */
  private io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute route() {
    List<HTTPRouteRule> rules = new ArrayList<>();
    for (MultiModelGateway.ModelRoute m : spec.models()) {
      rules.add(rule(m.name(), m.pool()));
    }
    for (MultiModelGateway.AdapterRoute a : spec.loraAdapters()) {
      rules.add(rule(a.name(), a.pool()));
    }
    return new HTTPRouteBuilder()
        .withMetadata(
            Pods.meta(spec.name(), spec.namespace(), Labels.standard(APP, spec.name(), "route")))
        .withNewSpec()
        .addNewParentRef()
        .withName(spec.name())
        .endParentRef()
        .withRules(rules)
        .endSpec()
        .build();
  }

  private HTTPRouteRule rule(String model, String pool) {
    HTTPRouteRuleBuilder rule = new HTTPRouteRuleBuilder();
    if (spec.bodyBasedRouting()) {
      rule.addNewMatch()
          .withNewPath()
          .withType("PathPrefix")
          .withValue("/")
          .endPath()
          .addNewHeader()
          .withType("Exact")
          .withName(MultiModelGateway.MODEL_HEADER)
          .withValue(model)
          .endHeader()
          .endMatch();
    } else {
      rule.addNewMatch().withNewPath().withType("PathPrefix").withValue("/").endPath().endMatch();
    }
    return rule.addNewBackendRef()
        .withGroup(InferencePool.GROUP)
        .withKind(InferencePool.KIND)
        .withName(pool)
        .endBackendRef()
        .build();
  }

  /**
   * The adapter-to-base-model mapping of one pool, in the shape GIE v1.5.0's {@code
   * base-model-to-header} plugin reads: data {@code baseModel} and {@code adapters} (a YAML list),
   * label {@link MultiModelGateway#BBR_MANAGED_LABEL} {@code "true"}
   * (config/manifests/bbr/configmap.yaml, pkg/bbr/plugins/basemodelextractor/adapters_store.go). A
   * pool without adapters still registers its base model ({@code adapters} is optional there),
   * which the plugin otherwise leaves unnamed.
   */
  private io.fabric8.kubernetes.api.model.ConfigMap adapterMap(MultiModelGateway.ModelRoute model) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.standard(APP, spec.name(), "models"));
    labels.put(MultiModelGateway.BBR_MANAGED_LABEL, "true");
    StringBuilder adapters = new StringBuilder();
    for (MultiModelGateway.AdapterRoute a : spec.loraAdapters()) {
      if (a.pool().equals(model.pool())) {
        adapters.append("- ").append(a.name()).append('\n');
      }
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put("baseModel", model.name());
    if (!adapters.isEmpty()) {
      data.put("adapters", adapters.toString());
    }
    return new ConfigMapBuilder()
        .withMetadata(Pods.meta(model.pool() + "-adapters", spec.namespace(), labels))
        .withData(data)
        .build();
  }
}
