package io.github.gkeinference.observability.report;

/** HTML and XML text escaping. */
final class Html {
  private Html() {}

  /** Escapes {@code & < > "} so that text can go into elements and attribute values. */
  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
