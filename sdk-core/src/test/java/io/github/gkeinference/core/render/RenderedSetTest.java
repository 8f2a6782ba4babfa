package io.github.gkeinference.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.container.v1.Cluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.validate.SdkValidationException;
import org.junit.jupiter.api.Test;

class RenderedSetTest {

  private static Deployment deployment(String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .endMetadata()
        .build();
  }

  @Test
  void resources_areInApplyOrder_stableWithinARank() {
    RenderedSet set =
        RenderedSet.builder()
            .add(new ServiceBuilder().withNewMetadata().withName("svc").endMetadata().build())
            .add(deployment("b"))
            .add(deployment("a"))
            .add(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build())
            .add(
                CloudResource.of(
                    "container.googleapis.com/v1",
                    "Cluster",
                    "c",
                    Cluster.newBuilder().setName("c").build()))
            .add(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata().build())
            .build();

    assertThat(set.resources())
        .extracting(RenderedResource::kind, RenderedResource::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Cluster", "c"),
            org.assertj.core.groups.Tuple.tuple("Namespace", "ns"),
            org.assertj.core.groups.Tuple.tuple("ConfigMap", "cfg"),
            org.assertj.core.groups.Tuple.tuple("Deployment", "b"),
            org.assertj.core.groups.Tuple.tuple("Deployment", "a"),
            org.assertj.core.groups.Tuple.tuple("Service", "svc"));
    assertThat(set.cloudResources()).singleElement().extracting(CloudResource::name).isEqualTo("c");
    assertThat(set.kubernetesObjects(Deployment.class))
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("b", "a");
  }

  @Test
  void objects_areCopies_soCallersCannotChangeTheSet() {
    Deployment original = deployment("a");
    RenderedSet set = RenderedSet.of(original);

    original.getMetadata().setName("changed-before");
    HasMetadata handedOut = set.kubernetesObjects().get(0);
    handedOut.getMetadata().setName("changed-after");

    assertThat(set.find(Deployment.class, "a")).isPresent();
    assertThat(set.resources().get(0).name()).isEqualTo("a");
  }

  @Test
  void duplicateIdentity_isRejected_butSameNameInAnotherKindIsFine() {
    RenderedSet one = RenderedSet.of(deployment("a"));

    assertThatThrownBy(() -> one.plus(RenderedSet.of(deployment("a"))))
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("resources[1]")
        .hasMessageContaining("appears twice");
    assertThat(
            one.plus(
                    RenderedSet.of(
                        new ServiceBuilder()
                            .withNewMetadata()
                            .withName("a")
                            .withNamespace("ns")
                            .endMetadata()
                            .build()))
                .size())
        .isEqualTo(2);
  }

  @Test
  void unknownKind_goesLast_unlessARankIsGiven() {
    HasMetadata widget =
        new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion("example.com/v1")
            .withKind("Widget")
            .withNewMetadata()
            .withName("w")
            .endMetadata()
            .build();
    RenderedSet set = RenderedSet.builder().add(widget).add(deployment("a")).build();
    assertThat(set.resources())
        .extracting(RenderedResource::kind)
        .containsExactly("Deployment", "Widget");

    RenderedSet ranked =
        RenderedSet.builder().add(deployment("a")).add(KubernetesResource.of(widget, 0)).build();
    assertThat(ranked.resources())
        .extracting(RenderedResource::kind)
        .containsExactly("Widget", "Deployment");
  }

  /** A typed custom resource fabric8 knows nothing about. */
  public static final class Widget implements HasMetadata {
    private static final long serialVersionUID = 1L;
    private io.fabric8.kubernetes.api.model.ObjectMeta metadata =
        new io.fabric8.kubernetes.api.model.ObjectMeta();
    public String size = "small";

    @Override
    public io.fabric8.kubernetes.api.model.ObjectMeta getMetadata() {
      return metadata;
    }

    @Override
    public void setMetadata(io.fabric8.kubernetes.api.model.ObjectMeta metadata) {
      this.metadata = metadata;
    }

    @Override
    public String getApiVersion() {
      return "example.com/v1";
    }

    @Override
    public void setApiVersion(String version) {}

    @Override
    public String getKind() {
      return "Widget";
    }
  }

  @Test
  void typedCustomResources_stayTyped() {
    Widget w = new Widget();
    w.getMetadata().setName("w");
    w.size = "large";

    RenderedSet set = RenderedSet.of(w);

    assertThat(set.kubernetesObjects(Widget.class))
        .singleElement()
        .satisfies(c -> assertThat(c.size).isEqualTo("large"));
  }

  @Test
  void tree_isACopyOfTheObjectAsRendered_andEditsDoNotLeak() {
    Deployment original = deployment("a");
    KubernetesResource r = KubernetesResource.of(original);
    original.getMetadata().setName("changed-before");

    var tree = r.tree();
    assertThat(tree.path("metadata").path("name").asString()).isEqualTo("a");
    assertThat(tree.path("kind").asString()).isEqualTo("Deployment");
    tree.withObject("metadata").put("name", "changed-after");

    assertThat(r.tree().path("metadata").path("name").asString()).isEqualTo("a");
    assertThat(r.object(Deployment.class).getMetadata().getName()).isEqualTo("a");
    assertThat(r.name()).isEqualTo("a");
  }

  @Test
  void tree_anAdditionalPropertyNamedLikeAField_replacesTheField_asFabric8WritesIt() {
    // fabric8 keeps a value of another type than the field's (a template, say) among the
    // additional properties, and writes it in the field's place
    Deployment d =
        new DeploymentBuilder(deployment("a")).withNewSpec().withReplicas(3).endSpec().build();
    d.getSpec().setAdditionalProperty("replicas", "${REPLICAS}");
    d.getSpec().setAdditionalProperty("x-extra", 1);

    var spec = KubernetesResource.of(d).tree().path("spec");

    assertThat(spec.path("replicas").asString()).isEqualTo("${REPLICAS}");
    assertThat(spec.path("x-extra").asInt()).isEqualTo(1);
    assertThat(Fabric8Runtime.serialization().asJson(d)).contains("\"replicas\":\"${REPLICAS}\"");
  }

  @Test
  void object_ofAnotherType_throwsClassCastException_naming_both() {
    KubernetesResource r = KubernetesResource.of(deployment("a"));

    assertThat(r.is(Deployment.class)).isTrue();
    assertThat(r.is(io.fabric8.kubernetes.api.model.Namespaced.class)).isTrue();
    assertThat(r.is(io.fabric8.kubernetes.api.model.Service.class)).isFalse();
    assertThatThrownBy(() -> r.object(io.fabric8.kubernetes.api.model.Service.class))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("Deployment")
        .hasMessageContaining("Service");
  }

  @Test
  void requireNoSecretLiterals_namesEachObjectsPath_andReturnsTheSetWhenClean() {
    RenderedSet clean = RenderedSet.of(deployment("a"));
    assertThat(clean.requireNoSecretLiterals()).isSameAs(clean);

    String token = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    RenderedSet leaky =
        RenderedSet.of(
            deployment("a"),
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("token", token)
                .build());

    assertThatThrownBy(leaky::requireNoSecretLiterals)
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(v -> v.path())
                    .containsExactly("ConfigMap/settings.data.token"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
  }
}
