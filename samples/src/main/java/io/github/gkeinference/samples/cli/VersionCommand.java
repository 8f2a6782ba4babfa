package io.github.gkeinference.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code version}: the CLI's version, git commit and Java runtime, as {@code --version} prints. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    footerHeading = "%nExamples:%n",
    footer = {"  gke-inference version"},
    description = "Print the version, the git commit it was built from and the Java runtime.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    for (String line : new VersionInfo().getVersion()) {
      out.println(line);
    }
    return GkeInferenceCli.OK;
  }
}
