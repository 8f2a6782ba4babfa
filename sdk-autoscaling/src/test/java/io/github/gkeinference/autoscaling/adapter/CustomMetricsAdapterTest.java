package io.github.gkeinference.autoscaling.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.testing.GoldenFiles;
import io.github.gkeinference.testing.SchemaValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomMetricsAdapterTest {

  @Test
  void render_everyObject_isSchemaValid() {
    RenderedSet set = CustomMetricsAdapter.defaults().render();
    SchemaValidator validator = SchemaValidator.forTests();

    // RBAC and APIService included: the kit's schemas cover every kind the adapter renders
    assertThat(set.kubernetesObjects())
        .extracting(HasMetadata::getKind)
        .contains("ClusterRole", "RoleBinding", "APIService", "Deployment");
    set.kubernetesObjects().forEach(validator::assertValid);
    GoldenFiles.assertMatches("adapter/defaults.yaml", ManifestYaml.toYaml(set));
  }

  @Test
  void render_registersTheThreeMetricsApisOnTheAdapterService() {
    List<APIService> apis =
        CustomMetricsAdapter.defaults().render().kubernetesObjects(APIService.class);

    assertThat(apis)
        .extracting(a -> a.getMetadata().getName())
        .containsExactly(
            "v1beta1.custom.metrics.k8s.io",
            "v1beta2.custom.metrics.k8s.io",
            "v1beta1.external.metrics.k8s.io");
    assertThat(apis)
        .allSatisfy(
            a -> {
              assertThat(a.getApiVersion()).isEqualTo("apiregistration.k8s.io/v1");
              assertThat(a.getSpec().getService().getName())
                  .isEqualTo("custom-metrics-stackdriver-adapter");
              assertThat(a.getSpec().getService().getNamespace()).isEqualTo("custom-metrics");
              assertThat(a.getMetadata().getName())
                  .isEqualTo(a.getSpec().getVersion() + "." + a.getSpec().getGroup());
            });
  }

  @Test
  void render_rbac_bindsTheAdapterAndLetsTheHpaReadExternalMetrics() {
    RenderedSet set = CustomMetricsAdapter.builder().namespace("metrics").build().render();

    List<ClusterRoleBinding> bindings = set.kubernetesObjects(ClusterRoleBinding.class);
    assertThat(bindings)
        .extracting(
            b ->
                b.getRoleRef().getName()
                    + "->"
                    + b.getSubjects().get(0).getNamespace()
                    + "/"
                    + b.getSubjects().get(0).getName())
        .containsExactly(
            "system:auth-delegator->metrics/custom-metrics-stackdriver-adapter",
            "custom-metrics-resource-reader->metrics/custom-metrics-stackdriver-adapter",
            "external-metrics-reader->kube-system/horizontal-pod-autoscaler");
    RoleBinding reader = set.kubernetesObjects(RoleBinding.class).get(0);
    assertThat(reader.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(reader.getRoleRef().getName())
        .isEqualTo("extension-apiserver-authentication-reader");
  }

  @Test
  void render_withGcpServiceAccount_annotatesTheKubernetesServiceAccount() {
    ServiceAccount sa =
        CustomMetricsAdapter.builder()
            .gcpServiceAccount("metrics-adapter@my-project.iam.gserviceaccount.com")
            .build()
            .render()
            .kubernetesObjects(ServiceAccount.class)
            .get(0);
    assertThat(sa.getMetadata().getAnnotations())
        .containsEntry(
            "iam.gke.io/gcp-service-account", "metrics-adapter@my-project.iam.gserviceaccount.com");
  }

  @Test
  void build_withBadNamespaceAndServiceAccount_listsBoth() {
    assertThatThrownBy(
            () ->
                CustomMetricsAdapter.builder()
                    .namespace("Bad_NS")
                    .gcpServiceAccount("nope")
                    .build())
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("metricsAdapter.namespace")
        .hasMessageContaining("metricsAdapter.gcpServiceAccount");
  }
}
