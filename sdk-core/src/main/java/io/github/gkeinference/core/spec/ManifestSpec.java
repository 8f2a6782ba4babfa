package io.github.gkeinference.core.spec;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.KubernetesNames;
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
    JsonNode name = node.path("metadata").path("name");
    if (!name.isString()) {
      v.error("metadata.name", null, "is required");
    } else if (!KubernetesNames.isDns1123Subdomain(name.asString())) {
      v.error(
          "metadata.name",
          name.asString(),
          "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and"
              + " ending with a letter or digit, at most 253 characters");
    }
    JsonNode namespace = node.path("metadata").path("namespace");
    if (!namespace.isMissingNode()
        && !(namespace.isString() && KubernetesNames.isDns1123Label(namespace.asString()))) {
      v.error(
          "metadata.namespace",
          namespace.asString(""),
          "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with"
              + " a letter or digit, at most 63 characters");
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
