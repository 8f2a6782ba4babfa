package io.github.gkeinference.serving.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpecAddressBuilder;
import io.github.gkeinference.core.render.Labels;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.serving.crd.PolicyTargetRef;
import io.github.gkeinference.serving.internal.Pods;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the config cluster's objects of a {@link MultiClusterInferenceGateway}, as the setup
 * guide writes them
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multicluster-inference-gateway:
 * {@code mcig.yaml} and "Configure timeouts"); one instance per render call.
 */
final class MultiClusterRenderer {
  private final MultiClusterInferenceGateway spec;

  MultiClusterRenderer(MultiClusterInferenceGateway spec) {
    this.spec = spec;
  }

  RenderedSet renderConfigCluster() {
    RenderedSet.Builder out = RenderedSet.builder();
    out.add(gateway());
    // the guide's route sends every request to the imported pools; "/" as PathPrefix is what a
    // rule without matches means (Gateway API HTTPRouteRule.matches default)
    out.add(
        GatewayRenderer.route(
            Pods.meta(spec.name(), spec.namespace(), labels("route")),
            spec.name(),
            MultiClusterInferenceGateway.IMPORT_GROUP,
            MultiClusterInferenceGateway.IMPORT_KIND,
            spec.pools()));
    for (InferenceGateway.Pool pool : spec.pools()) {
      // the guide's HealthCheckPolicy (HTTP /health on the serving port, GKE's default timing)
      // and GCPBackendPolicy ("Configure timeouts"), both on the pool's import
      GatewayRenderer.policies(
          out,
          Pods.meta(pool.name(), spec.namespace(), labels("policy")),
          new PolicyTargetRef(
              MultiClusterInferenceGateway.IMPORT_GROUP,
              MultiClusterInferenceGateway.IMPORT_KIND,
              pool.name()),
          pool.targetPort(),
          null,
          spec.timeoutSeconds(),
          null);
    }
    return out.build();
  }

  private Map<String, String> labels(String component) {
    return Labels.standard(GatewayRenderer.APP, spec.name(), component);
  }

  private Gateway gateway() {
    // one ephemeral address per region, in the order the clusters are listed
    Set<String> regions = new LinkedHashSet<>();
    spec.clusters().forEach(c -> regions.add(c.region()));
    List<GatewaySpecAddress> addresses = new ArrayList<>();
    for (String region : regions) {
      addresses.add(
          new GatewaySpecAddressBuilder()
              .withType(MultiClusterInferenceGateway.EPHEMERAL_ADDRESS_TYPE + region)
              .withValue(region)
              .build());
    }
    return GatewayRenderer.gateway(
        Pods.meta(spec.name(), spec.namespace(), labels("gateway")),
        MultiClusterInferenceGateway.GATEWAY_CLASS,
        addresses,
        GatewayRenderer.httpListener());
  }
}
