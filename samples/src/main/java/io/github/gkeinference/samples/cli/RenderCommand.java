package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.emit.ManifestDirectory;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.Transform;
import io.github.gkeinference.core.render.Transforms;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.samples.OnlineInferenceGpu;
import io.github.gkeinference.samples.Sample;
import io.github.gkeinference.samples.SampleOptions;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code render <sample>}: writes a sample's YAML files and kustomization.yaml. */
@Command(
    name = "render",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference render online-inference-gpu --out manifests",
      "  gke-inference render online-inference-gpu -n team-a --label team=ml",
      "  gke-inference render -f service.yaml --out manifests"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Render a sample to YAML files and a kustomization.yaml (or to standard output).",
      "online-inference-gpu deploys what the serving planner recommends for the model and"
          + " accelerator: the cheapest single-host option that meets the goal (default: the"
          + " interactive chat workload; see 'plan')."
    })
final class RenderCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Mixin PolicyOption policy = new PolicyOption();

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SAMPLE",
      description = "The sample: ${COMPLETION-CANDIDATES}",
      completionCandidates = SampleNames.class)
  String sample = "";

  @Option(
      names = "--model",
      paramLabel = "ID",
      description = "Hugging Face model id instead of the sample's default.")
  @Nullable String model;

  @Option(
      names = "--accelerator",
      paramLabel = "LABEL",
      description = "Accelerator label instead of the sample's default, e.g. nvidia-h100-80gb.")
  @Nullable String accelerator;

  @Option(
      names = VllmFlags.MAX_MODEL_LEN,
      paramLabel = "N",
      description =
          "online-inference-gpu: the served context (vLLM "
              + VllmFlags.MAX_MODEL_LEN
              + "); default the longest the planned layout serves well.")
  @Nullable Integer maxModelLen;

  @Option(
      names = "--qps",
      paramLabel = "QPS",
      description =
          "online-inference-gpu: requests per second to serve; the planner sizes the replicas."
              + " Default: one replica.")
  @Nullable Double qps;

  @Option(
      names = "--ttft",
      paramLabel = "MS",
      description =
          "online-inference-gpu: time-to-first-token target in milliseconds; default 2000.")
  @Nullable Double ttft;

  @Option(
      names = "--ntpot",
      paramLabel = "MS",
      description =
          "online-inference-gpu: normalized time-per-output-token target in milliseconds;"
              + " default 100.")
  @Nullable Double ntpot;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description =
          "Render the specs in a YAML/JSON file instead of a sample: documents with kind (a"
              + " spec type such as VllmServer, AcceleratorComputeClass, InferenceAutoscaler,"
              + " or Manifest for a plain Kubernetes object) and spec (the builder's fields;"
              + " unknown fields are rejected with their path). 'gke-inference schema' prints"
              + " the JSON Schema of a document.")
  @Nullable Path file;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "Add a label to every object and pod template (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--annotation",
      paramLabel = "KEY=VALUE",
      description = "Add an annotation to every object and pod template (repeatable).")
  Map<String, String> annotations = new LinkedHashMap<>();

  @Option(
      names = "--image-mirror",
      paramLabel = "REGISTRY=MIRROR",
      description =
          "Pull the images of REGISTRY (e.g. docker.io) from MIRROR (host and path) instead"
              + " (repeatable).")
  Map<String, String> mirrors = new LinkedHashMap<>();

  @Option(
      names = "--image-pull-secret",
      paramLabel = "NAME",
      description = "Add an image pull Secret to every pod (repeatable).")
  List<String> pullSecrets = new ArrayList<>();

  @Option(
      names = "--node-selector",
      paramLabel = "KEY=VALUE",
      description = "Add a node selector entry to every pod (repeatable).")
  Map<String, String> nodeSelector = new LinkedHashMap<>();

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description =
          "Put every namespaced object in NAMESPACE (ServiceAccount subjects of role bindings"
              + " follow), as kustomize's namespace field does.")
  @Nullable String namespace;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Directory to write; without it the YAML goes to standard output.")
  @Nullable Path out;

  @Override
  public Integer call() {
    CommandSpec command = java.util.Objects.requireNonNull(spec);
    var out = command.commandLine().getOut();
    var err = command.commandLine().getErr();
    if (this.out != null && this.out.toString().isBlank()) {
      err.println(
          "error: --out needs a directory name (without --out the YAML goes to standard"
              + " output)");
      return GkeInferenceCli.INVALID;
    }
    if ((file == null) == sample.isEmpty()) {
      err.println("error: give a SAMPLE (" + String.join(", ", names()) + ") or -f FILE, not both");
      return GkeInferenceCli.INVALID;
    }
    RenderedSet set;
    try {
      Transform transform = transform();
      if (file != null) {
        String text;
        try {
          text = InputFiles.read(file);
        } catch (InputFiles.InputException e) {
          err.println("error: " + e.getMessage());
          return GkeInferenceCli.INVALID;
        }
        set = SpecFiles.standard().render(text, transform);
      } else {
        Optional<Sample> found = Sample.named(sample);
        if (found.isEmpty()) {
          err.println("error: unknown sample '" + sample + "'; choose one of " + names());
          return GkeInferenceCli.INVALID;
        }
        SampleOptions options =
            new SampleOptions(
                Optional.ofNullable(model),
                Optional.ofNullable(accelerator),
                maxModelLen == null ? OptionalInt.empty() : OptionalInt.of(maxModelLen),
                qps == null ? OptionalDouble.empty() : OptionalDouble.of(qps),
                ttft == null ? OptionalDouble.empty() : OptionalDouble.of(ttft),
                ntpot == null ? OptionalDouble.empty() : OptionalDouble.of(ntpot));
        String unused =
            (model != null && !found.get().options().contains(Sample.Option.MODEL)
                    ? "--model "
                    : "")
                + (accelerator != null && !found.get().options().contains(Sample.Option.ACCELERATOR)
                    ? "--accelerator"
                    : "");
        if (!unused.isEmpty()) {
          err.println(
              "error: "
                  + sample
                  + " does not read "
                  + unused.strip().replace(" ", " or ")
                  + "; it would be ignored");
          return GkeInferenceCli.INVALID;
        }
        if (options.hasServingGoal() && !sample.equals(OnlineInferenceGpu.NAME)) {
          err.println(
              "error: "
                  + VllmFlags.MAX_MODEL_LEN
                  + ", --qps, --ttft and --ntpot apply to "
                  + OnlineInferenceGpu.NAME
                  + " only");
          return GkeInferenceCli.INVALID;
        }
        set = transform.apply(found.get().renderer().render(options)).requireNoSecretLiterals();
      }
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return GkeInferenceCli.INVALID;
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      return GkeInferenceCli.INVALID;
    }
    Integer refused = policy.refusal(set, err);
    if (refused != null) {
      return refused;
    }
    if (this.out == null) {
      out.print(ManifestYaml.toYaml(set));
      out.flush();
      return GkeInferenceCli.OK;
    }
    List<Path> files;
    try {
      files = ManifestDirectory.write(set, this.out);
    } catch (SdkException e) {
      err.println("error: " + e.getMessage());
      return GkeInferenceCli.INVALID;
    }
    out.println("Wrote " + files.size() + " files to " + this.out);
    return GkeInferenceCli.OK;
  }

  /** The platform changes the options ask for, in a fixed order; none is the identity. */
  private Transform transform() {
    Transform t = set -> set;
    if (!labels.isEmpty()) {
      t = t.andThen(Transforms.labels(labels));
    }
    if (!annotations.isEmpty()) {
      t = t.andThen(Transforms.annotations(annotations));
    }
    for (Map.Entry<String, String> mirror : mirrors.entrySet()) {
      t = t.andThen(Transforms.imageMirror(mirror.getKey(), mirror.getValue()));
    }
    if (!pullSecrets.isEmpty()) {
      t = t.andThen(Transforms.imagePullSecrets(pullSecrets.toArray(String[]::new)));
    }
    if (!nodeSelector.isEmpty()) {
      t = t.andThen(Transforms.nodeSelector(nodeSelector));
    }
    if (namespace != null) {
      t = t.andThen(Transforms.namespace(namespace));
    }
    return t;
  }

  private static List<String> names() {
    return Sample.all().stream().map(Sample::name).toList();
  }

  /** The sample names, for help and completion. */
  static final class SampleNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
