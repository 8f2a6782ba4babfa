package io.github.gkeinference.core.render;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Toleration;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.validate.KubernetesNames;
import io.github.gkeinference.core.validate.Violations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ready {@link Transform}s for what platform teams add to every workload: common labels and
 * annotations, an image registry mirror, image pull secrets, tolerations, a node selector and a
 * namespace.
 *
 * <p>The pod-level transforms find every pod spec inside an object, whatever its kind: a
 * Deployment's {@code spec.template.spec}, a LeaderWorkerSet's leader and worker templates, a
 * JobSet's replicated jobs, a Pod's {@code spec}. Each factory checks its arguments at once and
 * throws {@link io.github.gkeinference.core.validate.SdkValidationException} naming every bad one.
 */
public final class Transforms {

  /**
   * A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63
   * characters (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/).
   */
  private static final Pattern KEY =
      Pattern.compile(
          "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
              + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");

  /** A label value: empty, or at most 63 alphanumerics, '-', '_' and '.' (same page). */
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");

  private static final String DOCKER_HUB = "docker.io";

  private Transforms() {}

  /**
   * Adds labels to every Kubernetes object and to every pod template inside one, replacing a label
   * of the same key. Selectors are left alone: a Deployment's selector cannot change.
   *
   * @param labels the labels
   * @return the transform
   * @throws io.github.gkeinference.core.validate.SdkValidationException for a key or value that is
   *     not a valid label
   */
  public static Transform labels(Map<String, String> labels) {
    return metadata("labels", checked("labels", labels, true));
  }

  /**
   * Adds annotations to every Kubernetes object and to every pod template inside one, replacing an
   * annotation of the same key.
   *
   * @param annotations the annotations
   * @return the transform
   * @throws io.github.gkeinference.core.validate.SdkValidationException for a key that is not a
   *     valid annotation key
   */
  public static Transform annotations(Map<String, String> annotations) {
    return metadata("annotations", checked("annotations", annotations, false));
  }

  /** Puts entries into one metadata map of every object and of every pod template inside one. */
  private static Transform metadata(String field, Map<String, String> entries) {
    return objects(
        tree -> {
          putAll(tree, field, entries);
          podTemplates(tree, template -> putAll(template, field, entries));
        });
  }

  /**
   * Pulls the images of one registry from a mirror: {@code imageMirror("docker.io",
   * "us-docker.pkg.dev/my-project/hub")} turns {@code vllm/vllm-openai:v0.10.1} into {@code
   * us-docker.pkg.dev/my-project/hub/vllm/vllm-openai:v0.10.1}. An image without a registry host is
   * on {@code docker.io}, and a one-part name there is under {@code library/}, as Docker resolves
   * it (https://docs.docker.com/reference/cli/docker/image/pull/).
   *
   * @param registry the registry host to replace, for example {@code docker.io} or {@code nvcr.io}
   * @param mirror the mirror's host and path prefix, without a trailing '/'
   * @return the transform
   * @throws io.github.gkeinference.core.validate.SdkValidationException when either is blank or
   *     ends with '/'
   */
  public static Transform imageMirror(String registry, String mirror) {
    Violations v = Violations.root("imageMirror");
    v.require(
        !registry.isBlank() && !registry.contains("/"), "registry", registry, "must be a host");
    v.require(
        !mirror.isBlank() && !mirror.endsWith("/"),
        "mirror",
        mirror,
        "must be a registry host and path, without a trailing '/'");
    v.throwIfErrors();
    return pods(
        pod -> {
          for (String field : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path(field)) {
              if (c instanceof ObjectNode container && container.path("image").isString()) {
                container.put(
                    "image", mirrored(container.path("image").asString(), registry, mirror));
              }
            }
          }
        });
  }

  /**
   * Adds image pull secrets to every pod spec (a secret already listed is not added again).
   *
   * @param secretNames the Secret names
   * @return the transform
   */
  public static Transform imagePullSecrets(String... secretNames) {
    List<String> names = List.of(secretNames);
    return pods(
        pod -> {
          ArrayNode secrets = array(pod, "imagePullSecrets");
          for (String name : names) {
            boolean present = false;
            for (JsonNode s : secrets) {
              present |= name.equals(s.path("name").asString());
            }
            if (!present) {
              secrets.addObject().put("name", name);
            }
          }
        });
  }

  /**
   * Adds tolerations to every pod spec (an equal toleration already present is not added again).
   *
   * @param tolerations the tolerations
   * @return the transform
   */
  public static Transform tolerations(List<Toleration> tolerations) {
    List<JsonNode> trees = new ArrayList<>();
    for (Toleration t : tolerations) {
      trees.add(
          Fabric8Runtime.serialization()
              .convertValue(Objects.requireNonNull(t, "toleration"), JsonNode.class));
    }
    return pods(
        pod -> {
          ArrayNode list = array(pod, "tolerations");
          for (JsonNode t : trees) {
            boolean present = false;
            for (JsonNode existing : list) {
              present |= existing.equals(t);
            }
            if (!present) {
              list.add(t.deepCopy());
            }
          }
        });
  }

  /**
   * Adds node selector entries to every pod spec, replacing an entry of the same key.
   *
   * @param selector the node labels pods must have
   * @return the transform
   * @throws io.github.gkeinference.core.validate.SdkValidationException for a key or value that is
   *     not a valid label
   */
  public static Transform nodeSelector(Map<String, String> selector) {
    Map<String, String> checked = checked("nodeSelector", selector, true);
    return pods(
        pod -> {
          ObjectNode node =
              pod.path("nodeSelector") instanceof ObjectNode o ? o : pod.putObject("nodeSelector");
          checked.forEach(node::put);
        });
  }

  /**
   * Moves every namespaced object into one namespace, as kustomize's {@code namespace} field does:
   * an object is namespaced when its type implements fabric8's {@link Namespaced} or it already
   * names a namespace (cluster-scoped objects, such as a ComputeClass, name none and are left
   * alone). ServiceAccount subjects of (Cluster)RoleBindings in a namespace that moved follow it,
   * and the typed {@link WorkloadFacts} of the set name the new namespace. Other references to a
   * namespace by name (a Gateway route's {@code parentRefs}, a {@code namespaceSelector}) are not
   * changed.
   *
   * @param namespace the namespace, a DNS label
   * @return the transform
   * @throws io.github.gkeinference.core.validate.SdkValidationException when it is not a DNS label
   */
  public static Transform namespace(String namespace) {
    Violations v = Violations.root();
    v.require(
        KubernetesNames.isDns1123Label(namespace),
        "namespace",
        namespace,
        "must be a DNS label: at most 63 lowercase letters, digits and '-', starting and ending"
            + " with a letter or digit");
    v.throwIfErrors();
    return set -> {
      Set<String> moved = new HashSet<>();
      for (RenderedResource r : set) {
        if (r instanceof KubernetesResource k && k.namespace() != null) {
          moved.add(k.namespace());
        }
      }
      RenderedSet.Builder out = RenderedSet.builder();
      for (WorkloadFacts w : set.workloads()) {
        out.addWorkload(w.toBuilder().namespace(namespace).build());
      }
      for (RenderedResource r : set) {
        if (!(r instanceof KubernetesResource k)) {
          out.add(r);
          continue;
        }
        ObjectNode tree = k.tree();
        ObjectNode metadata =
            tree.path("metadata") instanceof ObjectNode m ? m : tree.putObject("metadata");
        if (k.is(Namespaced.class) || metadata.path("namespace").isString()) {
          metadata.put("namespace", namespace);
        }
        for (JsonNode subject : tree.path("subjects")) {
          if (subject instanceof ObjectNode s
              && s.path("kind").asString("").equals("ServiceAccount")
              && moved.contains(s.path("namespace").asString(""))) {
            s.put("namespace", namespace);
          }
        }
        out.add(k.withTree(tree));
      }
      return out.build();
    };
  }

  static String mirrored(String image, String registry, String mirror) {
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    String host = hasHost ? first : DOCKER_HUB;
    String path = hasHost ? image.substring(slash + 1) : image;
    if (!host.equals(registry)) {
      return image;
    }
    if (host.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    return mirror + "/" + path;
  }

  private static Map<String, String> checked(
      String what, Map<String, String> entries, boolean labelValues) {
    Violations v = Violations.root(what);
    for (Map.Entry<String, String> e : entries.entrySet()) {
      v.require(
          KEY.matcher(e.getKey()).matches(),
          e.getKey(),
          e.getKey(),
          "must be a label key: an optional DNS subdomain and '/', then at most 63 alphanumerics,"
              + " '-', '_' or '.'");
      if (labelValues) {
        v.require(
            LABEL_VALUE.matcher(e.getValue()).matches(),
            e.getKey(),
            e.getValue(),
            "must be a label value: empty or at most 63 alphanumerics, '-', '_' or '.'");
      }
    }
    v.throwIfErrors();
    return new LinkedHashMap<>(entries);
  }

  /** Edits every Kubernetes object as a JSON tree; other resources pass unchanged. */
  private static Transform objects(Consumer<ObjectNode> edit) {
    return set -> {
      RenderedSet.Builder out = RenderedSet.builder();
      // a transform edits objects, not which workloads they are: their typed facts go along
      set.workloads().forEach(out::addWorkload);
      for (RenderedResource r : set) {
        if (r instanceof KubernetesResource k) {
          ObjectNode tree = k.tree();
          edit.accept(tree);
          out.add(k.withTree(tree));
        } else {
          out.add(r);
        }
      }
      return out.build();
    };
  }

  /** Edits every pod spec inside every Kubernetes object. */
  private static Transform pods(Consumer<ObjectNode> edit) {
    return objects(
        tree -> podTemplates(tree, template -> edit.accept((ObjectNode) template.get("spec"))));
  }

  /**
   * Calls {@code edit} with every object inside {@code node} (or {@code node} itself) whose {@code
   * spec} is a pod spec, one with a {@code containers} list: a pod template or a Pod.
   */
  private static void podTemplates(JsonNode node, Consumer<ObjectNode> edit) {
    if (node instanceof ObjectNode object) {
      if (object.path("spec").path("containers").isArray()) {
        edit.accept(object);
      }
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        podTemplates(e.getValue(), edit);
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        podTemplates(element, edit);
      }
    }
  }

  private static void putAll(ObjectNode object, String field, Map<String, String> entries) {
    ObjectNode metadata =
        object.path("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    ObjectNode map = metadata.path(field) instanceof ObjectNode m ? m : metadata.putObject(field);
    entries.forEach(map::put);
  }

  private static ArrayNode array(ObjectNode object, String field) {
    return object.path(field) instanceof ArrayNode a ? a : object.putArray(field);
  }
}
