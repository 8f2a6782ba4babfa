package io.github.gkeinference.samples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gke-inference} command: renders, plans, validates and applies inference deployments.
 *
 * <p>Exit codes: 0 success, 1 findings, 2 invalid input or usage.
 */
@Command(
    name = "gke-inference",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Render validated GKE inference deployments.",
    subcommands = {
      RenderCommand.class,
      SchemaCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      CatalogCommand.class,
      ApplyCommand.class,
      DiffCommand.class,
      ClusterCommand.class,
      AutoscaleCommand.class,
      BenchCommand.class,
      KvCacheCommand.class,
      VersionCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GkeInferenceCli {
  /** Success. */
  public static final int OK = 0;

  /** The command ran and found problems (for example validation findings). */
  public static final int FINDINGS = 1;

  /** Invalid input or usage. */
  public static final int INVALID = 2;

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the command line with the given output streams.
   *
   * @param out standard output
   * @param err standard error
   * @param args the arguments
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, CommandLine.defaultFactory(), args);
  }

  /**
   * Runs the command line with the given output streams and command factory (tests use it to give
   * commands fakes of the cloud clients).
   */
  static int run(
      PrintWriter rawOut, PrintWriter rawErr, CommandLine.IFactory factory, String... args) {
    // Every line the CLI prints goes through the SDK's one secret-masking rule.
    PrintWriter out = new PrintWriter(new MaskingWriter(rawOut), true);
    PrintWriter err = new PrintWriter(new MaskingWriter(rawErr), true);
    try {
      return run(out, err, new CommandLine(new GkeInferenceCli(), factory), args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int run(PrintWriter out, PrintWriter err, CommandLine cli, String... args) {
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> INVALID);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println("error: " + e.getMessage());
          e.getCommandLine().usage(err);
          return INVALID;
        });
    return cli.execute(args);
  }
}
