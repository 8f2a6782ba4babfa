package io.github.gkeinference.testing;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Answers whether a rendered NetworkPolicy lets a pod in, by the peer rules of the Kubernetes
 * NetworkPolicy API, so that tests state behaviour ("the collector in {@code gke-gmp-system} may
 * scrape") instead of the policy's shape.
 *
 * <p>A source namespace carries only the label Kubernetes sets on every namespace, {@code
 * kubernetes.io/metadata.name}. Ports and {@code ipBlock} peers are not considered: the answer is
 * whether some ingress rule admits the pod on some port.
 */
public final class NetworkPolicyCheck {
  private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private NetworkPolicyCheck() {}

  /**
   * Returns whether {@code policy} admits ingress from a pod with {@code podLabels} in namespace
   * {@code namespace}.
   *
   * @param policy the rendered policy, assumed to select the destination pod
   * @param namespace the source pod's namespace
   * @param podLabels the source pod's labels
   * @return true when at least one ingress rule admits the source
   */
  public static boolean admits(
      NetworkPolicy policy, String namespace, Map<String, String> podLabels) {
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    if (rules == null) {
      return false;
    }
    String policyNamespace = policy.getMetadata().getNamespace();
    for (NetworkPolicyIngressRule rule : rules) {
      List<NetworkPolicyPeer> from = rule.getFrom();
      if (from == null || from.isEmpty()) {
        return true; // a rule without peers admits every source
      }
      for (NetworkPolicyPeer peer : from) {
        if (admits(peer, policyNamespace, namespace, podLabels)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean admits(
      NetworkPolicyPeer peer,
      @Nullable String policyNamespace,
      String namespace,
      Map<String, String> podLabels) {
    if (peer.getNamespaceSelector() == null && peer.getPodSelector() == null) {
      return false; // an ipBlock peer: not a pod source
    }
    boolean namespaceMatches =
        peer.getNamespaceSelector() == null
            ? namespace.equals(policyNamespace)
            : matches(peer.getNamespaceSelector(), Map.of(NAMESPACE_NAME_LABEL, namespace));
    return namespaceMatches
        && (peer.getPodSelector() == null || matches(peer.getPodSelector(), podLabels));
  }

  /**
   * Returns whether a label selector matches a set of labels ({@code matchLabels} and {@code
   * matchExpressions} with {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}); an
   * empty selector matches everything.
   *
   * @param selector the selector
   * @param labels the labels of the object
   * @return true when every requirement holds
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> matchLabels = selector.getMatchLabels();
    if (matchLabels != null) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions != null) {
      for (LabelSelectorRequirement r : expressions) {
        if (!matches(r, labels.get(r.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, @Nullable String value) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> throw new IllegalArgumentException("unknown operator " + r.getOperator());
    };
  }
}
