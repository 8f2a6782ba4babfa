package io.github.gkeinference.core.validate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for container image references the SDK renders: the syntax of the OCI distribution
 * reference grammar, and a pinned version.
 *
 * <ul>
 *   <li>Syntax: {@code [registry[:port]/]path[:tag][@algorithm:digest]}, as the grammar of
 *       distribution/reference {@code regexp.go} (v0.6.0) defines it; anything else, such as {@code
 *       vllm/vllm-openai:v0.1;curl x|sh}, is an error.
 *   <li>A tag or a digest is required: an image without either means {@code :latest}.
 *   <li>{@code :latest} is refused (without a digest): it changes under a running deployment, and
 *       Kubernetes then pulls on every start (Kubernetes "Images" documentation,
 *       https://kubernetes.io/docs/concepts/containers/images/#image-names). A digest is the
 *       strongest pin; a version tag is accepted.
 * </ul>
 */
public final class ContainerImages {
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?)";
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String NAME =
      "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE =
      Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");

  private ContainerImages() {}

  /**
   * Returns the repository of an image reference with its registry made explicit, as a container
   * runtime resolves it: {@code vllm/vllm-openai:v0.11.0} is {@code docker.io/vllm/vllm-openai} (a
   * first component without a dot or a port, other than {@code localhost}, is a Docker Hub path; a
   * single component is under {@code docker.io/library}, as distribution/reference {@code
   * normalize.go} v0.6.0 does).
   *
   * @param image the image reference
   * @return {@code registry/path}, or empty when the reference is not valid
   */
  public static java.util.Optional<String> repository(String image) {
    Matcher m = REFERENCE.matcher(image);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    String name = m.group(1);
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
    if (hasRegistry) {
      return java.util.Optional.of(name);
    }
    return java.util.Optional.of(slash < 0 ? "docker.io/library/" + name : "docker.io/" + name);
  }

  /**
   * Adds an error at {@code field} when {@code image} is not a pinned image reference.
   *
   * @param violations where to add it
   * @param field the field, relative to {@code violations}
   * @param image the image reference
   */
  public static void check(Violations violations, String field, String image) {
    Matcher m = REFERENCE.matcher(image);
    if (!m.matches() || image.length() > 255 + 128 + 80) {
      violations.error(
          field,
          image,
          "is not a container image reference ([registry[:port]/]path[:tag][@sha256:digest],"
              + " lower-case path)");
      return;
    }
    String tag = m.group(2);
    String digest = m.group(3);
    if (tag == null && digest == null) {
      violations.error(
          field,
          image,
          "needs a version tag or a digest: without one the image is ':latest', which changes"
              + " under a running deployment");
    } else if ("latest".equals(tag) && digest == null) {
      violations.error(
          field,
          image,
          "':latest' changes under a running deployment; pin a version tag or a digest");
    }
  }
}
