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
import java.util.Optional;
import java.util.concurrent.Callable;
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
    mixinStandardHelpOptions = true,
    description = {
      "Check Kubernetes YAML (ours or anyone's) against the official schemas, strictly: unknown"
          + " fields, bad names, labels, ports and quantities are errors; then the SDK's rules"
          + " across objects: GPUs requested vs tensor x pipeline parallelism, ComputeClass machine"
          + " types vs GPU counts, InferencePool selectors and ports vs pods, HPA targets, $${...} in"
          + " env values, startup-probe budgets, literal credentials (hf_..., sk-..., private keys,"
          + " JWTs) anywhere.",
      "Exit 0 when clean, 1 when any ERROR is found, 2 on invalid input."
    })
final class ValidateCommand implements Callable<Integer> {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

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

  @Override
  public Integer call() {
    var cli = java.util.Objects.requireNonNull(spec).commandLine();
    PrintWriter out = cli.getOut();
    PrintWriter err = cli.getErr();
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
        out.println(f + ": ERROR " + e.getMessage());
        errors++;
        continue;
      }
      List<JsonNode> documents;
      try {
        documents = YamlDocuments.read(text);
      } catch (RuntimeException e) {
        out.println(f + ": ERROR not valid YAML: " + e.getMessage());
        errors++;
        continue;
      }
      objects += documents.size();
      for (JsonNode doc : documents) {
        // A literal credential is an error in any document, also of a kind without a schema.
        Violations literals = Violations.root();
        Secrets.requireNoLiterals(doc, literals);
        for (Violation v : literals.all()) {
          out.println(
              f
                  + ": "
                  + v.severity()
                  + " "
                  + objectName(doc)
                  + " "
                  + v.path()
                  + ": "
                  + v.message()
                  + rejected(v));
          errors++;
        }
        String apiVersion = doc.path("apiVersion").asString("");
        String kind = doc.path("kind").asString("");
        if (!apiVersion.isEmpty() && !kind.isEmpty() && !validator.knows(apiVersion, kind)) {
          // A kind the schemas do not cover (another operator's CRD) is not an error of the
          // manifest; name it and say that it was not checked.
          out.println(
              f
                  + ": WARNING "
                  + kind
                  + "/"
                  + doc.path("metadata").path("name").asString("?")
                  + ": no schema for "
                  + apiVersion
                  + " "
                  + kind
                  + "; not schema-checked");
          continue;
        }
        for (SchemaFinding finding : validator.validate(doc)) {
          out.println(f + ": ERROR " + finding);
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
            out.println(
                f
                    + ": "
                    + v.severity()
                    + " ComputeClass/"
                    + cc.getMetadata().getName()
                    + " "
                    + v.path()
                    + ": "
                    + v.message()
                    + rejected(v));
            errors += v.isError() ? 1 : 0;
          }
        }
        all.add(object);
      }
    }
    // The SDK's cross-resource rules: pools vs pods, GPUs vs parallelism, HPA targets, env, probes
    try {
      for (Violation v : BundleValidator.validate(all.build())) {
        out.println(v.severity() + " " + v.path() + ": " + v.message() + rejected(v));
        errors += v.isError() ? 1 : 0;
      }
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        out.println(v.severity() + " " + v.path() + ": " + v.message() + rejected(v));
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
    out.println(
        objects
            + " objects in "
            + files.size()
            + " files: "
            + (errors == 0 ? "no findings" : errors + " errors"));
    return errors == 0 ? GkeInferenceCli.OK : GkeInferenceCli.FINDINGS;
  }

  /** Returns {@code Kind/name} of a document, with {@code ?} for what it lacks. */
  private static String objectName(JsonNode doc) {
    return doc.path("kind").asString("?") + "/" + doc.path("metadata").path("name").asString("?");
  }

  private static String rejected(Violation v) {
    return v.rejectedValue() == null ? "" : " (rejected: " + v.rejectedValue() + ")";
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
        return JSON.treeToValue(doc, ComputeClass.class);
      }
      return SERIALIZATION.unmarshal(doc.toString());
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
