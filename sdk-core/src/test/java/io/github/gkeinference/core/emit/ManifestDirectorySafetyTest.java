package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.render.RenderedSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link ManifestDirectory} never does: delete, follow or overwrite what it did not write. */
class ManifestDirectorySafetyTest {
  @TempDir Path tmp;

  private static RenderedSet configMaps(String... names) {
    RenderedSet.Builder set = RenderedSet.builder();
    for (String name : names) {
      set.add(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build());
    }
    return set.build();
  }

  private static String[] names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void write_keepsUserFilesWhoseNamesLookGenerated() throws IOException {
    Path dir = tmp.resolve("out");
    ManifestDirectory.write(configMaps("a", "b"), dir);
    Files.writeString(dir.resolve("01-my-important-notes.yaml"), "mine");
    Files.writeString(dir.resolve("99-prod-secrets.json"), "{}");

    ManifestDirectory.write(configMaps("c"), dir);

    assertThat(names(dir))
        .containsExactly(
            ManifestDirectory.FILES,
            "01-configmap-c.yaml",
            "01-my-important-notes.yaml",
            "99-prod-secrets.json",
            "kustomization.yaml");
    assertThat(dir.resolve("01-my-important-notes.yaml")).hasContent("mine");
    assertThat(dir.resolve("99-prod-secrets.json")).hasContent("{}");
  }

  @Test
  void write_aUserFileWithAGeneratedName_isRefused_beforeAnythingChanges() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(dir.resolve("02-configmap-b.yaml"), "mine");

    assertThatThrownBy(() -> ManifestDirectory.write(configMaps("a", "b"), dir))
        .isInstanceOf(SdkException.class)
        .hasMessage(
            dir.resolve("02-configmap-b.yaml")
                + " exists and was not written by gke-inference-sdk (it is not in "
                + ManifestDirectory.FILES
                + "); move it or choose an empty directory");
    assertThat(names(dir)).containsExactly("02-configmap-b.yaml");
    assertThat(dir.resolve("02-configmap-b.yaml")).hasContent("mine");
  }

  @Test
  void write_aGeneratedFileChangedByHand_isNeitherDeletedNorOverwritten() throws IOException {
    Path dir = tmp.resolve("out");
    ManifestDirectory.write(configMaps("a", "b"), dir);
    Files.writeString(dir.resolve("02-configmap-b.yaml"), "edited");

    assertThatThrownBy(() -> ManifestDirectory.write(configMaps("a"), dir))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("02-configmap-b.yaml was changed since gke-inference-sdk wrote it");
    assertThat(dir.resolve("02-configmap-b.yaml")).hasContent("edited");
  }

  @Test
  void write_aPlantedSymlink_isRefused_andItsTargetUntouched() throws IOException {
    Path dir = tmp.resolve("out");
    ManifestDirectory.write(configMaps("a"), dir);
    Path victim = Files.writeString(tmp.resolve("victim"), "precious");
    Path link = dir.resolve("01-configmap-a.yaml");
    Files.delete(link);
    Files.createSymbolicLink(link, victim);

    assertThatThrownBy(() -> ManifestDirectory.write(configMaps("a"), dir))
        .isInstanceOf(SdkException.class)
        .hasMessageStartingWith(link + " is a symbolic link");
    assertThat(victim).hasContent("precious");

    // A link planted in a fresh folder, and a link to a list of "generated" files, too.
    Path fresh = Files.createDirectories(tmp.resolve("fresh"));
    Files.createSymbolicLink(fresh.resolve("kustomization.yaml"), victim);
    assertThatThrownBy(() -> ManifestDirectory.write(configMaps("a"), fresh))
        .hasMessageStartingWith(fresh.resolve("kustomization.yaml") + " is a symbolic link");
    assertThat(victim).hasContent("precious");
  }

  @Test
  void write_listsEveryFileWithItsSha256_inSha256sumFormat() throws IOException {
    Path dir = tmp.resolve("out");
    ManifestDirectory.write(configMaps("a"), dir);

    assertThat(Files.readAllLines(dir.resolve(ManifestDirectory.FILES)))
        .containsExactly(
            sha256(dir.resolve("01-configmap-a.yaml")) + "  01-configmap-a.yaml",
            sha256(dir.resolve("kustomization.yaml")) + "  kustomization.yaml");
    // no temporary file is left behind
    assertThat(names(dir))
        .containsExactly(ManifestDirectory.FILES, "01-configmap-a.yaml", "kustomization.yaml");
  }

  @Test
  void write_aListPointingOutsideTheFolder_deletesNothingThere() throws IOException {
    Path dir = tmp.resolve("out");
    ManifestDirectory.write(configMaps("a"), dir);
    Path outside = Files.writeString(tmp.resolve("outside.yaml"), "x");
    Files.writeString(
        dir.resolve(ManifestDirectory.FILES),
        sha256(outside) + "  ../outside.yaml\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    ManifestDirectory.write(configMaps("b"), dir);

    assertThat(outside).hasContent("x");
    assertThat(names(dir))
        .containsExactly(ManifestDirectory.FILES, "01-configmap-b.yaml", "kustomization.yaml");
  }

  @Test
  void write_emptyPathOrAFile_isOneLineError() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "mine");

    assertThatThrownBy(() -> ManifestDirectory.write(configMaps("a"), Path.of("")))
        .hasMessage("the output directory is empty; name a directory");
    assertThatThrownBy(() -> ManifestDirectory.write(configMaps("a"), file))
        .hasMessage("cannot write manifests to " + file + ": it is not a directory");
    assertThat(file).hasContent("mine");
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
