package io.github.gkeinference.schemas;

/**
 * One way a rendered object breaks its official schema or an API-server rule.
 *
 * @param resource the object, as {@code Kind/name}
 * @param path the JSON path of the bad field, for example {@code
 *     $.spec.template.spec.containers[0]}
 * @param message what is wrong
 */
public record SchemaFinding(String resource, String path, String message) {
  @Override
  public String toString() {
    return resource + " " + path + ": " + message;
  }
}
