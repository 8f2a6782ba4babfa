package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.emit.ManifestDirectory;
import io.github.gkeinference.core.emit.ManifestYaml;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.samples.Sample;
import io.github.gkeinference.samples.SampleOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code render <sample>}: writes a sample's YAML files and kustomization.yaml. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Render a sample to YAML files and a kustomization.yaml (or to standard output).")
final class RenderCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(
      index = "0",
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
      names = "--out",
      paramLabel = "DIR",
      description = "Directory to write; without it the YAML goes to standard output.")
  @Nullable Path out;

  @Override
  public Integer call() {
    CommandSpec command = java.util.Objects.requireNonNull(spec);
    var out = command.commandLine().getOut();
    var err = command.commandLine().getErr();
    Optional<Sample> found = Sample.named(sample);
    if (found.isEmpty()) {
      err.println("error: unknown sample '" + sample + "'; choose one of " + names());
      return GkeInferenceCli.INVALID;
    }
    RenderedSet set;
    try {
      set =
          found
              .get()
              .renderer()
              .render(
                  new SampleOptions(Optional.ofNullable(model), Optional.ofNullable(accelerator)));
    } catch (SdkValidationException e) {
      for (Violation v : e.violations()) {
        err.println(v);
      }
      return GkeInferenceCli.INVALID;
    }
    if (this.out == null) {
      out.print(ManifestYaml.toYaml(set));
      out.flush();
      return GkeInferenceCli.OK;
    }
    List<Path> files = ManifestDirectory.write(set, this.out);
    out.println("Wrote " + files.size() + " files to " + this.out);
    return GkeInferenceCli.OK;
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
