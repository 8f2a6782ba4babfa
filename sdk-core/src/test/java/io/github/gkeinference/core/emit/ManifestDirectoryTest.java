package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.container.v1.Cluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.render.CloudResource;
import io.github.gkeinference.core.render.RenderedSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestDirectoryTest {
  @TempDir Path dir;

  private static RenderedSet set() {
    return RenderedSet.builder()
        .add(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("runtime")
                .withNamespace("inference")
                .endMetadata()
                .build())
        .add(new NamespaceBuilder().withNewMetadata().withName("inference").endMetadata().build())
        .add(
            CloudResource.of(
                "container.googleapis.com/v1",
                "Cluster",
                "inference",
                Cluster.newBuilder().setName("inference").build()))
        .build();
  }

  private static String[] names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void write_filesAreReadableByTheirOwnerOnly_afterAFirstAndASecondWrite() throws IOException {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    ManifestDirectory.write(set(), dir);
    ManifestDirectory.write(set(), dir); // replaces every file

    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .as(file.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void write_namesFilesInApplyOrder_andListsYamlInTheKustomization() throws IOException {
    ManifestDirectory.write(set(), dir);

    assertThat(names(dir))
        .containsExactly(
            ManifestDirectory.FILES,
            "01-cluster-inference.json",
            "02-namespace-inference.yaml",
            "03-configmap-runtime.yaml",
            "kustomization.yaml");
    assertThat(Files.readString(dir.resolve("kustomization.yaml")))
        .isEqualTo(
            ManifestDirectory.MARKER
                + "\n"
                + """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - 02-namespace-inference.yaml
                - 03-configmap-runtime.yaml
                """);
    assertThat(Files.readString(dir.resolve("01-cluster-inference.json")))
        .contains("\"name\": \"inference\"");
  }

  @Test
  void write_again_replacesItsOwnFiles_andKeepsOthers() throws IOException {
    ManifestDirectory.write(set(), dir);
    Files.writeString(dir.resolve("notes.txt"), "mine");

    ManifestDirectory.write(
        RenderedSet.of(
            new ConfigMapBuilder().withNewMetadata().withName("only").endMetadata().build()),
        dir);

    assertThat(names(dir))
        .containsExactly(
            ManifestDirectory.FILES, "01-configmap-only.yaml", "kustomization.yaml", "notes.txt");
  }

  @Test
  void write_refusesADirectoryWithSomeoneElsesKustomization() throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\n");

    assertThatThrownBy(() -> ManifestDirectory.write(set(), dir))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("was not written by gke-inference-sdk");
    assertThat(names(dir)).containsExactly("kustomization.yaml");
  }
}
