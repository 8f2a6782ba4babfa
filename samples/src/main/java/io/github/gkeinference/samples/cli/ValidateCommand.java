package io.github.gkeinference.samples.cli;

import io.github.gkeinference.testing.SchemaFinding;
import io.github.gkeinference.testing.SchemaValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code validate <dir|file>...}: checks any Kubernetes YAML against the official schemas. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check Kubernetes YAML (ours or anyone's) against the official schemas, strictly: unknown"
          + " fields, bad names, labels, ports and quantities are errors.",
      "Exit 0 when clean, 1 when any ERROR is found, 2 on invalid input."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "YAML files or directories (searched recursively).")
  List<Path> paths = new ArrayList<>();

  @Option(
      names = "--schemas",
      paramLabel = "DIR",
      description = "Schema folder (default: ../shared/schemas next to the repository).")
  @Nullable Path schemas;

  @Override
  public Integer call() {
    var cli = java.util.Objects.requireNonNull(spec).commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    Optional<Path> dir = Optional.ofNullable(schemas).or(CliSettings::schemasDir);
    if (dir.isEmpty() || !Files.isRegularFile(dir.get().resolve("index.json"))) {
      err.println(
          "error: no schema folder found; pass --schemas DIR (a folder laid out like ../shared/schemas)");
      return GkeInferenceCli.INVALID;
    }
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        err.println("error: " + p + " does not exist");
        return GkeInferenceCli.INVALID;
      }
      files.addAll(yamlFiles(p));
    }
    SchemaValidator validator = SchemaValidator.of(dir.get());
    int errors = 0;
    int objects = 0;
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("error: cannot read " + f + ": " + e.getMessage());
        return GkeInferenceCli.INVALID;
      }
      if (f.getFileName().toString().startsWith("kustomization.")) {
        continue;
      }
      List<SchemaFinding> findings;
      try {
        objects += SchemaValidator.readYamlDocuments(text).size();
        findings = validator.validateYaml(text);
      } catch (RuntimeException e) {
        out.println(f + ": ERROR not valid YAML: " + e.getMessage());
        errors++;
        continue;
      }
      for (SchemaFinding finding : findings) {
        out.println(f + ": ERROR " + finding);
        errors++;
      }
    }
    out.println(
        objects
            + " objects in "
            + files.size()
            + " files: "
            + (errors == 0 ? "no findings" : errors + " errors"));
    return errors == 0 ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
  }

  private static List<Path> yamlFiles(Path p) {
    if (Files.isRegularFile(p)) {
      return List.of(p);
    }
    try (Stream<Path> walk = Files.walk(p)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
