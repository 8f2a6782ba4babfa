package io.github.gkeinference.core.emit;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Compares a desired object with a live one: the live object may hold more (defaults, status,
 * server metadata), but every desired field must be there with the same value.
 */
final class JsonSubset {
  private JsonSubset() {}

  /** Adds to {@code out} the paths of desired fields the live tree does not hold. */
  static void differences(String path, JsonNode desired, JsonNode live, List<String> out) {
    if (desired.isObject()) {
      if (!live.isObject()) {
        out.add(path);
        return;
      }
      for (Map.Entry<String, JsonNode> e : desired.properties()) {
        JsonNode l = live.get(e.getKey());
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (l == null || l.isNull()) {
          if (!e.getValue().isNull() && !isEmpty(e.getValue())) {
            out.add(child);
          }
        } else {
          differences(child, e.getValue(), l, out);
        }
      }
    } else if (desired.isArray()) {
      if (!live.isArray() || live.size() != desired.size()) {
        out.add(path);
        return;
      }
      for (int i = 0; i < desired.size(); i++) {
        differences(path + "[" + i + "]", desired.get(i), live.get(i), out);
      }
    } else if (!sameScalar(desired, live)) {
      out.add(path);
    }
  }

  private static boolean isEmpty(JsonNode node) {
    return (node.isObject() || node.isArray()) && node.isEmpty();
  }

  private static boolean sameScalar(JsonNode desired, JsonNode live) {
    if (desired.equals(live)) {
      return true;
    }
    // the API server may give a number where a string was sent and the other way round
    return desired.isValueNode()
        && live.isValueNode()
        && desired.asString().equals(live.asString());
  }
}
