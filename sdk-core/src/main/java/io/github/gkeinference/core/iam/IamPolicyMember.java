package io.github.gkeinference.core.iam;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.github.gkeinference.core.render.CustomObject;
import io.github.gkeinference.core.validate.KubernetesNames;
import java.io.Serializable;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Config Connector IAMPolicyMember ({@code iam.cnrm.cloud.google.com/v1beta1}): adds one member
 * to one role of a Google Cloud resource's IAM policy, leaving the policy's other bindings alone.
 *
 * <p>Reference:
 * https://cloud.google.com/config-connector/docs/reference/resource-docs/iam/iampolicymember;
 * schema: GoogleCloudPlatform/k8s-config-connector {@code
 * config/crds/resources/apiextensions.k8s.io_v1_customresourcedefinition_iampolicymembers.iam.cnrm.cloud.google.com.yaml}
 * (bundled in sdk-schemas). Built by {@link BucketGrant#policyMember} for buckets and by {@link
 * #of} for other resources.
 */
@Group("iam.cnrm.cloud.google.com")
@Version("v1beta1")
@Kind(IamPolicyMember.KIND)
public final class IamPolicyMember extends CustomObject<IamPolicyMember.Spec>
    implements Namespaced {
  private static final long serialVersionUID = 1L;

  /** The apiVersion. */
  public static final String API_VERSION = "iam.cnrm.cloud.google.com/v1beta1";

  /** The kind. */
  public static final String KIND = "IAMPolicyMember";

  /** The apiVersion of Config Connector's StorageBucket, for a bucket {@link ResourceRef}. */
  public static final String STORAGE_BUCKET_API_VERSION = "storage.cnrm.cloud.google.com/v1beta1";

  /** Creates an empty object (for Jackson). */
  public IamPolicyMember() {
    super(API_VERSION, KIND);
  }

  /**
   * Creates an object.
   *
   * @param metadata the metadata, with name and namespace
   * @param spec the spec
   */
  public IamPolicyMember(ObjectMeta metadata, Spec spec) {
    super(API_VERSION, KIND, metadata, spec);
  }

  /**
   * Returns a fresh object that adds {@code spec}'s member to its role on its resource.
   *
   * @param name the object's name, a DNS-1123 subdomain
   * @param namespace the namespace Config Connector manages it in
   * @param labels the object's labels
   * @param spec the binding
   * @return the IAMPolicyMember
   * @throws IllegalArgumentException when the name or namespace is not a Kubernetes name
   */
  public static IamPolicyMember of(
      String name, String namespace, Map<String, String> labels, Spec spec) {
    if (!KubernetesNames.isDns1123Subdomain(name) || !KubernetesNames.isDns1123Label(namespace)) {
      throw new IllegalArgumentException(
          "IAMPolicyMember " + namespace + "/" + name + " is not a valid Kubernetes name");
    }
    return new IamPolicyMember(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels.isEmpty() ? null : Map.copyOf(labels))
            .build(),
        spec);
  }

  /**
   * The binding.
   *
   * @param member the IAM member, for example a Workload Identity {@code principal://}
   * @param role the role, for example {@code roles/storage.objectViewer}
   * @param resourceRef the resource whose policy gets the member
   */
  public record Spec(String member, String role, ResourceRef resourceRef) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * A reference to a Google Cloud resource that Config Connector does not manage: its kind and its
   * external name (for a StorageBucket, the bucket's name).
   *
   * @param apiVersion the Config Connector apiVersion of the kind, or null
   * @param kind the Config Connector kind, for example {@code StorageBucket}
   * @param external the resource's external name
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResourceRef(@Nullable String apiVersion, String kind, String external)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
