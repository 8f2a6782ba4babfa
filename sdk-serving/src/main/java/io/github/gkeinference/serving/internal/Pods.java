package io.github.gkeinference.serving.internal;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.validate.KubernetesNames;
import java.util.Map;

/** Pod and metadata building blocks every serving bundle uses, so that they cannot drift. */
public final class Pods {
  private Pods() {}

  /**
   * Returns whether {@code name} is a DNS-1035 label of at most {@code maxLength} characters.
   *
   * @param name the name
   * @param maxLength the longest allowed, leaving room for suffixes the bundle adds
   * @return whether it is valid
   */
  public static boolean isDns1035(String name, int maxLength) {
    return KubernetesNames.isDns1035Label(name, maxLength);
  }

  /**
   * Returns whether {@code name} is a DNS-1123 label.
   *
   * @param name the name
   * @return whether it is valid
   */
  public static boolean isDns1123(String name) {
    return KubernetesNames.isDns1123Label(name);
  }

  /**
   * Returns the facts of a Deployment the SDK renders: its identity, pod selector and pod labels,
   * for the renderer to add ports, devices and server facts to.
   *
   * @param name the Deployment's name
   * @param namespace its namespace
   * @param selector the labels selecting its pods
   * @param podLabels the labels of its pod template
   * @return a facts builder
   */
  public static WorkloadFacts.Builder deploymentFacts(
      String name, String namespace, Map<String, String> selector, Map<String, String> podLabels) {
    return WorkloadFacts.builder()
        .apiVersion("apps/v1")
        .kind("Deployment")
        .name(name)
        .namespace(namespace)
        .podSelector(selector)
        .podLabels(podLabels);
  }

  /**
   * Returns object metadata with a name, namespace and labels.
   *
   * @param name the name
   * @param namespace the namespace, or null for cluster-scoped objects
   * @param labels the labels (copied)
   * @return new metadata
   */
  public static ObjectMeta meta(
      String name,
      @org.jspecify.annotations.Nullable String namespace,
      Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(new java.util.LinkedHashMap<>(labels))
        .build();
  }

  /**
   * Returns the restricted container security context: no privilege escalation, every capability
   * dropped, the runtime's default seccomp profile and, when the image allows it, non-root.
   *
   * @param runAsNonRoot whether the image runs as a non-root user
   * @return a new security context
   */
  public static SecurityContext restricted(boolean runAsNonRoot) {
    SecurityContextBuilder b =
        new SecurityContextBuilder()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile();
    if (runAsNonRoot) {
      b.withRunAsNonRoot(true);
    }
    return b.build();
  }

  /**
   * Returns an environment variable with a literal value.
   *
   * @param name the name
   * @param value the value
   * @return the variable
   */
  public static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /**
   * Returns an environment variable read from a pod field through the downward API.
   *
   * @param name the name
   * @param fieldPath for example {@code metadata.namespace}
   * @return the variable
   */
  public static EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
