package io.github.gkeinference.serving.gateway.epp;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes nested maps, lists and scalars as block YAML, deterministically. */
final class EppYaml {
  /** Scalars safe to write unquoted: they read back as the same string. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_./@-]*");

  private static final List<String> RESERVED =
      List.of("true", "false", "yes", "no", "on", "off", "null", "y", "n");

  private EppYaml() {}

  static String write(Map<String, ?> root) {
    StringBuilder out = new StringBuilder();
    map(out, root, 0, false);
    return out.toString();
  }

  private static void map(StringBuilder out, Map<?, ?> m, int indent, boolean inlineFirst) {
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(first && inlineFirst)) {
        out.append(" ".repeat(indent));
      }
      first = false;
      out.append(e.getKey()).append(':');
      value(out, e.getValue(), indent);
    }
  }

  private static void value(StringBuilder out, Object v, int indent) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append(" {}\n");
      } else {
        out.append('\n');
        map(out, m, indent + 2, false);
      }
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        out.append(" []\n");
      } else {
        out.append('\n');
        list(out, l, indent);
      }
    } else {
      out.append(' ').append(scalar(v)).append('\n');
    }
  }

  private static void list(StringBuilder out, List<?> l, int indent) {
    for (Object item : l) {
      out.append(" ".repeat(indent)).append("- ");
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        map(out, m, indent + 2, true);
      } else {
        out.append(scalar(item)).append('\n');
      }
    }
  }

  static String scalar(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    String s = v.toString();
    if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(java.util.Locale.ROOT))) {
      return s;
    }
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        default -> q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
