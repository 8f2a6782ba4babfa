package io.github.gkeinference.core.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketGrantTest {
  private static final SchemaValidator SCHEMAS = SchemaValidator.forTests();
  private static final WorkloadIdentityPool POOL =
      WorkloadIdentityPool.of("my-project", 123456789012L);

  @Test
  void principal_hasTheDocumentedForm() {
    // the form of cloud.google.com/kubernetes-engine/docs/how-to/workload-identity, filled in
    assertThat(POOL.principal("inference", "vllm"))
        .isEqualTo(
            "principal://iam.googleapis.com/projects/123456789012/locations/global/"
                + "workloadIdentityPools/my-project.svc.id.goog/subject/ns/inference/sa/vllm");
  }

  @Test
  void pool_invalidProjectIdAndNumber_reportsBothPaths() {
    assertThatThrownBy(() -> WorkloadIdentityPool.of("My_Project", 0))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("projectId", "projectNumber"));
  }

  @Test
  void policyMember_isValidConfigConnectorObjectThatReferencesTheBucket() {
    IamPolicyMember m =
        BucketGrant.objectViewer("my-models", POOL.principal("inference", "vllm"))
            .policyMember("vllm-model-reader", "inference", Map.of("app", "vllm"));
    SCHEMAS.assertValid(m);
    assertThat(m.getMetadata().getNamespace()).isEqualTo("inference");
    assertThat(m.spec().role()).isEqualTo("roles/storage.objectViewer");
    assertThat(m.spec().member()).isEqualTo(POOL.principal("inference", "vllm"));
    assertThat(m.spec().resourceRef().kind()).isEqualTo("StorageBucket");
    assertThat(m.spec().resourceRef().external()).isEqualTo("my-models");
    String yaml = ManifestYaml.toYaml(RenderedSet.of(m));
    assertThat(yaml)
        .contains("apiVersion: iam.cnrm.cloud.google.com/v1beta1")
        .contains("kind: IAMPolicyMember")
        .contains("external: my-models");
  }

  @Test
  void grant_badRoleAndMember_reportsBoth() {
    assertThatThrownBy(() -> new BucketGrant("my-models", "objectViewer", "vllm"))
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("role", "member"));
  }

  @Test
  void grant_badBucket_isRejected() {
    assertThatThrownBy(() -> BucketGrant.objectViewer("gs://my-models", "user:a@example.com"))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("bucket");
  }

  @Test
  void equals_comparesEveryComponent_andEqualGrantsHashAlike() {
    String sa = "serviceAccount:reader@my-project.iam.gserviceaccount.com";
    BucketGrant g = new BucketGrant("models", BucketGrant.OBJECT_VIEWER, sa);
    assertThat(g)
        .isEqualTo(new BucketGrant("models", BucketGrant.OBJECT_VIEWER, sa))
        .hasSameHashCodeAs(new BucketGrant("models", BucketGrant.OBJECT_VIEWER, sa));
    assertThat(g)
        .isNotEqualTo(new BucketGrant("weights", BucketGrant.OBJECT_VIEWER, sa))
        .isNotEqualTo(new BucketGrant("models", "roles/storage.objectAdmin", sa))
        .isNotEqualTo(
            new BucketGrant("models", BucketGrant.OBJECT_VIEWER, sa.replace("reader", "w")))
        .isNotEqualTo(null);
  }
}
