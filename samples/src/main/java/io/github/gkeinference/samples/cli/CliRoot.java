package io.github.gkeinference.samples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code gke-inference} command without its subcommands: its name, help and the options every
 * command inherits. {@link GkeInferenceCli} adds the subcommands; a run that names one command uses
 * this class with that command alone ({@code GkeInferenceCli.commandLine}), so that picocli does
 * not build, by reflection, every other command and the classes their fields name.
 */
@Command(
    name = "gke-inference",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Render validated GKE inference deployments.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gke-inference render online-inference-gpu --out manifests",
      "  gke-inference plan --model meta-llama/Llama-3.1-8B-Instruct -o json",
      "  gke-inference validate manifests",
      "  gke-inference <command> --help",
      "",
      "Exit codes: 0 success, 1 findings (differences, errors found, goal not met),",
      "2 invalid input or usage."
    })
class CliRoot {
  /** When to colour output. */
  enum Colour {
    auto,
    always,
    never
  }

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      scope = ScopeType.INHERIT,
      description =
          "auto (default: on a terminal unless NO_COLOR is set), always or never: colour in help"
              + " and tables.")
  Colour colour = Colour.auto;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "No progress display (it is also off when not on a terminal).")
  boolean quiet;

  /** Whether colour is on for this run, resolved from --color once the arguments are parsed. */
  boolean colourOn;

  /** Whether --quiet was given at any level of the command line. */
  boolean quietOn;
}
