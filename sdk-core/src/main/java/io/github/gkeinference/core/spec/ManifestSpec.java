package io.github.gkeinference.core.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Violations;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A spec file's {@value SpecFiles#MANIFEST} document: one Kubernetes object, rendered as it is.
 *
 * @param json the object
 */
record ManifestSpec(JsonNode json) implements RenderableSpec {

  static Optional<ManifestSpec> read(JsonNode node, Violations v) {
    if (!node.isObject()) {
      v.error("", node.toString(), "must be a Kubernetes object");
      return Optional.empty();
    }
    for (String field : new String[] {"apiVersion", "kind"}) {
      if (!node.path(field).isString()) {
        v.error(field, null, "is required");
      }
    }
    if (!node.path("metadata").path("name").isString()) {
      v.error("metadata.name", null, "is required");
    }
    return v.hasErrors() ? Optional.empty() : Optional.of(new ManifestSpec(node.deepCopy()));
  }

  @Override
  public String kind() {
    return SpecFiles.MANIFEST;
  }

  @Override
  public RenderedSet render() {
    HasMetadata object = Fabric8Runtime.serialization().unmarshal(json.toString());
    return RenderedSet.of(object);
  }
}
