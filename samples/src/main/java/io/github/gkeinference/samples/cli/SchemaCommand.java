package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.spec.SpecFiles;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code schema}: prints the JSON Schema of a spec file's documents. */
@Command(
    name = "schema",
    footerHeading = "%nExamples:%n",
    footer = {"  gke-inference schema > spec.schema.json"},
    mixinStandardHelpOptions = true,
    description =
        "Print the JSON Schema (draft 2020-12) of one document of a spec file (render -f), for"
            + " editors and CI checks.")
final class SchemaCommand implements Callable<Integer> {
  /**
   * Where the CLI jar carries the same schema, for tools that read it from the jar; a test keeps it
   * equal to the generated one.
   */
  static final String RESOURCE = "/io/github/gkeinference/samples/spec.schema.json";

  @Spec @Nullable CommandSpec spec;

  @Override
  public Integer call() {
    var out = Objects.requireNonNull(spec).commandLine().getOut();
    out.println(SpecFiles.standard().schema());
    out.flush();
    return GkeInferenceCli.OK;
  }
}
