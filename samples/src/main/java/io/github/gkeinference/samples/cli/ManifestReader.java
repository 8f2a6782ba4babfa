package io.github.gkeinference.samples.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a directory of Kubernetes YAML (as {@code render --out} writes it, or anyone's) into a
 * {@link RenderedSet} in apply order: every {@code .yaml}/{@code .yml} file below it, every
 * document in each file; {@code kustomization.yaml} and {@code .json} files (GKE requests) are
 * skipped. Known kinds become typed fabric8 objects, others generic resources.
 */
final class ManifestReader {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ManifestReader() {}

  /**
   * Reads like {@link #read}, printing each problem to {@code err}.
   *
   * @return the set, or null when there were problems (already printed)
   */
  static @Nullable RenderedSet readOrReport(Path path, PrintWriter err) {
    List<String> problems = new ArrayList<>();
    RenderedSet set = read(path, problems);
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      return null;
    }
    return set;
  }

  /**
   * Reads the directory (or one file).
   *
   * @param path the directory or file
   * @param problems where each problem goes, one line each, prefixed with the file
   * @return the set; meaningful only when no problem was added
   */
  static RenderedSet read(Path path, List<String> problems) {
    if (!Files.exists(path)) {
      problems.add("error: " + path + " does not exist");
      return RenderedSet.empty();
    }
    RenderedSet.Builder set = RenderedSet.builder();
    List<String> where = new ArrayList<>();
    for (Path file : files(path)) {
      List<JsonNode> docs;
      try {
        docs = YamlDocuments.read(InputFiles.read(file));
      } catch (InputFiles.InputException e) {
        problems.add("error: " + e.getMessage());
        continue;
      } catch (RuntimeException e) {
        problems.add(file + ": not valid YAML: " + firstLine(e.getMessage()));
        continue;
      }
      for (int i = 0; i < docs.size(); i++) {
        JsonNode doc = docs.get(i);
        String at = file + (docs.size() > 1 ? " (document " + (i + 1) + ")" : "");
        List<String> missing = new ArrayList<>();
        for (String field : List.of("apiVersion", "kind")) {
          if (!doc.path(field).isString() || doc.path(field).asString().isEmpty()) {
            missing.add(field);
          }
        }
        if (!doc.path("metadata").path("name").isString()) {
          missing.add("metadata.name");
        }
        if (!missing.isEmpty()) {
          problems.add(at + ": not a Kubernetes object: missing " + String.join(", ", missing));
          continue;
        }
        try {
          set.add(SERIALIZATION.unmarshal(doc.toString(), HasMetadata.class));
          where.add(at);
        } catch (RuntimeException e) {
          problems.add(
              at
                  + ": cannot read as "
                  + doc.path("kind").asString()
                  + ": "
                  + firstLine(e.getMessage()));
        }
      }
    }
    if (!problems.isEmpty()) {
      return RenderedSet.empty();
    }
    try {
      return set.build();
    } catch (SdkValidationException e) {
      e.violations().forEach(v -> problems.add(v.toString()));
      return RenderedSet.empty();
    }
  }

  private static List<Path> files(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .filter(f -> !f.getFileName().toString().startsWith("kustomization."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
