package io.github.gkeinference.samples.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.gkeinference.accelerators.computeclass.ComputeClass;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Secrets;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.schemas.KubernetesSchemas;
import io.github.gkeinference.schemas.SchemaFinding;
import io.github.gkeinference.serving.validate.BundleValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code validate <dir|file>...}: checks any Kubernetes YAML against the official schemas. */
@Command(
    name = "validate",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference validate manifests",
      "  gke-inference validate manifests other/file.yaml -o json"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Check Kubernetes YAML (ours or anyone's) against the official schemas, strictly: unknown"
          + " fields, bad names, labels, ports and quantities are errors; then the SDK's rules"
          + " across objects: GPUs requested vs tensor x pipeline parallelism, ComputeClass machine"
          + " types vs GPU counts, InferencePool selectors and ports vs pods, HPA targets, $${...} in"
          + " env values, startup-probe budgets, TPU topology vs chips, Service targetPorts vs"
          + " container ports, mount paths, GPU/TPU requests vs limits, PodDisruptionBudget"
          + " selectors, literal credentials (hf_..., sk-..., private keys, JWTs) anywhere. Flags"
          + " are read after resolving $$(VAR) through env and ConfigMaps of the input and inside"
          + " sh -c scripts; YAML anchors and aliases are resolved as kubectl does.",
      "Exit 0 when clean, 1 when any ERROR is found, 2 on invalid input."
    })
final class ValidateCommand implements Callable<Integer> {
  /**
   * The readers of typed objects, built on first use (holder idiom): picocli creates every command
   * on each start, and building them costs hundreds of Jackson classes that other commands do not
   * need.
   */
  private static final class Readers {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final JsonMapper JSON =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private Readers() {}
  }

  @Spec @Nullable CommandSpec spec;

  @Mixin PolicyOption policy = new PolicyOption();

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "YAML files or directories (searched recursively).")
  List<Path> paths = new ArrayList<>();

  @Option(
      names = "--schemas",
      paramLabel = "DIR",
      description =
          "A schema folder laid out like the bundled one (default: the schemas bundled with the"
              + " SDK).")
  @Nullable Path schemas;

  @Mixin OutputFormat output = new OutputFormat();

  /** {@code -o json}: every finding, then the counts. */
  record Result(List<Finding> findings, int objects, int files, int errors) {}

  /**
   * One finding: the file (absent for rules across files), {@code ERROR} or {@code WARNING}, the
   * object as {@code Kind/name}, the field path, what is wrong and the rejected value (secrets
   * masked), each absent when it does not apply.
   */
  record Finding(
      @Nullable String file,
      String severity,
      @Nullable String object,
      @Nullable String path,
      String message,
      @Nullable String rejected) {

    /** The table line: {@code file: SEVERITY Kind/name path: message (rejected: value)}. */
    String line() {
      String where = String.join(" ", Stream.of(object, path).filter(Objects::nonNull).toList());
      return (file == null ? "" : file + ": ")
          + severity
          + " "
          + (where.isEmpty() ? "" : where + ": ")
          + message
          + (rejected == null ? "" : " (rejected: " + rejected + ")");
    }

    static Finding of(@Nullable Path file, @Nullable String object, Violation v) {
      return new Finding(
          file == null ? null : file.toString(),
          v.severity().toString(),
          object,
          v.path(),
          v.message(),
          v.rejectedValue());
    }
  }

  @Override
  public Integer call() {
    var cli = Objects.requireNonNull(spec).commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
    List<Finding> findings = new ArrayList<>();
    Consumer<Finding> report =
        f -> {
          findings.add(f);
          if (output.table()) {
            out.println(f.line());
          }
        };
    Optional<Path> dir = Optional.ofNullable(schemas).or(CliSettings::schemasDir);
    KubernetesSchemas validator;
    try {
      validator = dir.map(KubernetesSchemas::of).orElseGet(KubernetesSchemas::bundled);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
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
    if (files.isEmpty()) {
      err.println("error: no YAML files in " + paths.stream().map(Path::toString).toList());
      return GkeInferenceCli.INVALID;
    }
    int errors = 0;
    int objects = 0;
    RenderedSet.Builder all = RenderedSet.builder();
    for (Path f : files) {
      if (f.getFileName().toString().startsWith("kustomization.")) {
        continue;
      }
      String text;
      try {
        text = InputFiles.read(f);
      } catch (InputFiles.InputException e) {
        // One unusable file is a finding; the others are still validated.
        report.accept(new Finding(f.toString(), "ERROR", null, null, e.getMessage(), null));
        errors++;
        continue;
      }
      List<JsonNode> documents;
      try {
        documents = YamlDocuments.read(text);
      } catch (RuntimeException e) {
        report.accept(
            new Finding(
                f.toString(), "ERROR", null, null, "not valid YAML: " + e.getMessage(), null));
        errors++;
        continue;
      }
      objects += documents.size();
      for (JsonNode doc : documents) {
        // A literal credential is an error in any document, also of a kind without a schema.
        Violations literals = Violations.root();
        Secrets.requireNoLiterals(doc, literals);
        for (Violation v : literals.all()) {
          report.accept(Finding.of(f, objectName(doc), v));
          errors++;
        }
        String apiVersion = doc.path("apiVersion").asString("");
        String kind = doc.path("kind").asString("");
        if (!apiVersion.isEmpty() && !kind.isEmpty() && !validator.knows(apiVersion, kind)) {
          // A kind the schemas do not cover (another operator's CRD) is not an error of the
          // manifest; name it and say that it was not checked.
          report.accept(
              new Finding(
                  f.toString(),
                  "WARNING",
                  kind + "/" + doc.path("metadata").path("name").asString("?"),
                  null,
                  "no schema for " + apiVersion + " " + kind + "; not schema-checked",
                  null));
          continue;
        }
        for (SchemaFinding finding : validator.validate(doc)) {
          report.accept(
              new Finding(
                  f.toString(),
                  "ERROR",
                  finding.resource(),
                  finding.path(),
                  finding.message(),
                  null));
          errors++;
        }
      }
      for (JsonNode doc : documents) {
        HasMetadata object = object(doc);
        if (object == null) {
          continue;
        }
        if (object instanceof ComputeClass cc) {
          Violations classChecks = Violations.root();
          cc.validate(classChecks);
          for (Violation v : classChecks.all()) {
            report.accept(Finding.of(f, "ComputeClass/" + cc.getMetadata().getName(), v));
            errors += v.isError() ? 1 : 0;
          }
        }
        all.add(object);
      }
    }
    // The SDK's cross-resource rules: pools vs pods, GPUs vs parallelism, HPA targets, env, probes
    try {
      for (Violation v : BundleValidator.validate(all.build())) {
        report.accept(Finding.of(null, null, v));
        errors += v.isError() ? 1 : 0;
      }
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        report.accept(Finding.of(null, null, v));
        errors++;
      }
    }
    Integer refused = policy.refusal(all.build(), out);
    if (refused != null) {
      return refused;
    }
    if (objects == 0 && errors == 0) {
      err.println("error: no YAML documents in " + paths.stream().map(Path::toString).toList());
      return GkeInferenceCli.INVALID;
    }
    if (output.table()) {
      out.println(
          objects
              + " objects in "
              + files.size()
              + " files: "
              + (errors == 0 ? "no findings" : errors + " errors"));
    } else {
      output.print(out, new Result(findings, objects, files.size(), errors));
    }
    return errors == 0 ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
  }

  /** Returns {@code Kind/name} of a document, with {@code ?} for what it lacks. */
  private static String objectName(JsonNode doc) {
    return doc.path("kind").asString("?") + "/" + doc.path("metadata").path("name").asString("?");
  }

  /**
   * Reads one document as a typed object where the SDK has a type, else fabric8's; null if neither.
   */
  private static @Nullable HasMetadata object(JsonNode doc) {
    if (!doc.path("kind").isString()
        || !doc.path("apiVersion").isString()
        || !doc.path("metadata").path("name").isString()) {
      return null;
    }
    try {
      if (ComputeClass.API_VERSION.equals(doc.path("apiVersion").asString())
          && ComputeClass.KIND.equals(doc.path("kind").asString())) {
        return Readers.JSON.treeToValue(doc, ComputeClass.class);
      }
      return Readers.SERIALIZATION.unmarshal(doc.toString());
    } catch (RuntimeException e) {
      return null; // the schema check has already reported what is wrong with it
    }
  }

  private static List<Path> yamlFiles(Path p) {
    if (!Files.isDirectory(p)) {
      return List.of(p); // a file, or something InputFiles will name (a FIFO, a device)
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
