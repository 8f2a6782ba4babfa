package io.github.gkeinference.core.validate;

import java.util.regex.Pattern;

/**
 * The Kubernetes name and label rules, written once: DNS-1123 labels and subdomains, DNS-1035
 * labels, label keys and label values.
 *
 * <p>Source: {@code k8s.io/apimachinery/pkg/util/validation/validation.go} (kubernetes v1.33:
 * {@code IsDNS1123Label}, {@code IsDNS1123Subdomain}, {@code IsDNS1035Label}, {@code
 * IsQualifiedName}, {@code IsValidLabelValue}) and "Object Names and IDs" in the Kubernetes docs
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). Stateless.
 */
public final class KubernetesNames {
  /** The longest DNS-1123 or DNS-1035 label, label value or label-key name: 63 characters. */
  public static final int MAX_LABEL_LENGTH = 63;

  /** The longest DNS-1123 subdomain: 253 characters. */
  public static final int MAX_SUBDOMAIN_LENGTH = 253;

  /** DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric. */
  public static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** DNS-1123 subdomain: DNS-1123 labels joined by '.'. */
  public static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** DNS-1035 label: a DNS-1123 label that starts with a letter (Service names). */
  public static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  /** The name part of a label key, and a non-empty label value. */
  private static final Pattern QUALIFIED_NAME_PART =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private KubernetesNames() {}

  /**
   * Returns whether a name is a DNS-1123 label of at most 63 characters (namespaces, most names).
   *
   * @param name the name
   * @return whether it is valid
   */
  public static boolean isDns1123Label(String name) {
    return name.length() <= MAX_LABEL_LENGTH && DNS_1123_LABEL.matcher(name).matches();
  }

  /**
   * Returns whether a name is a DNS-1123 subdomain of at most 253 characters (most object names).
   *
   * @param name the name
   * @return whether it is valid
   */
  public static boolean isDns1123Subdomain(String name) {
    return name.length() <= MAX_SUBDOMAIN_LENGTH && DNS_1123_SUBDOMAIN.matcher(name).matches();
  }

  /**
   * Returns whether a name is a DNS-1035 label of at most {@code maxLength} characters.
   *
   * @param name the name
   * @param maxLength the longest allowed: 63, or less to leave room for suffixes
   * @return whether it is valid
   */
  public static boolean isDns1035Label(String name, int maxLength) {
    return name.length() <= Math.min(maxLength, MAX_LABEL_LENGTH)
        && DNS_1035_LABEL.matcher(name).matches();
  }

  /**
   * Returns whether a string is a valid label value: empty, or at most 63 letters, digits, '-', '_'
   * and '.', starting and ending alphanumeric.
   *
   * @param value the value
   * @return whether it is valid
   */
  public static boolean isLabelValue(String value) {
    return value.isEmpty()
        || (value.length() <= MAX_LABEL_LENGTH && QUALIFIED_NAME_PART.matcher(value).matches());
  }

  /**
   * Returns whether a string is a valid label or annotation key: an optional DNS-1123 subdomain
   * prefix and '/', then a name of at most 63 letters, digits, '-', '_' and '.', starting and
   * ending alphanumeric.
   *
   * @param key the key
   * @return whether it is valid
   */
  public static boolean isLabelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk = slash < 0 || isDns1123Subdomain(key.substring(0, slash));
    return prefixOk
        && name.length() <= MAX_LABEL_LENGTH
        && QUALIFIED_NAME_PART.matcher(name).matches();
  }
}
