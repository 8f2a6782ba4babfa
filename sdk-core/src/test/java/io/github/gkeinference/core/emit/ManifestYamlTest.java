package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.container.v1.Cluster;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.KubernetesResource;
import io.github.gkeinference.core.render.RenderedSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestYamlTest {

  @Test
  void toYaml_ordersKeysStably_quotesAmbiguousStrings_dropsNulls_keepsEmptyMaps() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("zeta", "true");
    data.put("alpha", "8000");
    data.put("mid", "plain");
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withAnnotations(data)
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("shm")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .build();

    assertThat(ManifestYaml.toYaml(pod))
        .isEqualTo(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations:
                alpha: "8000"
                mid: plain
                zeta: "true"
            spec:
              volumes:
                - name: shm
                  emptyDir: {}
            """);
  }

  @Test
  void toYaml_ofAResource_isTheTextOfItsObject_withoutReadingACopyBack() {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .addToLabels("app", "x")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("example.com/c:1")
            .withArgs("--port=8000", "true")
            .endContainer()
            .endSpec()
            .build();
    KubernetesResource resource = KubernetesResource.of(pod);

    assertThat(ManifestYaml.toYaml(resource))
        .isEqualTo(ManifestYaml.toYaml(pod))
        .isEqualTo(ManifestYaml.toYaml(resource.object()))
        .contains("- \"true\"");
  }

  @Test
  void toYaml_ofASet_separatesDocuments_inApplyOrder() {
    var a = new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().build();
    var b = new ConfigMapBuilder().withNewMetadata().withName("b").endMetadata().build();

    assertThat(ManifestYaml.toYaml(RenderedSet.of(a, b)))
        .isEqualTo(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: b
            """);
  }

  @Test
  void toYaml_isTheSameForEqualObjectsBuiltInAnotherOrder() {
    var one =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .addToData("x", "1")
            .addToData("y", "2")
            .build();
    var two =
        new ConfigMapBuilder()
            .addToData("y", "2")
            .addToData("x", "1")
            .withNewMetadata()
            .withName("c")
            .endMetadata()
            .build();

    assertThat(ManifestYaml.toYaml(one)).isEqualTo(ManifestYaml.toYaml(two));
  }

  @Test
  void toJson_printsHtmlSensitiveCharactersLiterally_andParsesBackToTheSameMessage()
      throws InvalidProtocolBufferException {
    // a PromQL-like query in a string field, and the same characters in a map key
    Cluster cluster =
        Cluster.newBuilder()
            .setName("c")
            .setDescription("rate(x{a=\"b\"}[5m]) > 0 && y < 1 or 'z'")
            .putResourceLabels("k=<&>'", "v")
            .build();

    String json =
        ManifestYaml.toJson(
            CloudResource.of("container.googleapis.com/v1", "Cluster", "c", cluster));

    assertThat(json)
        .isEqualTo(
            """
            {
              "name": "c",
              "description": "rate(x{a=\\"b\\"}[5m]) > 0 && y < 1 or 'z'",
              "resourceLabels": {
                "k=<&>'": "v"
              }
            }
            """);
    Cluster.Builder parsed = Cluster.newBuilder();
    JsonFormat.parser().merge(json, parsed);
    assertThat(parsed.build()).isEqualTo(cluster);
  }
}
