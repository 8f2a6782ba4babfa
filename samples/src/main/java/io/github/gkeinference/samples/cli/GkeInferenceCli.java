package io.github.gkeinference.samples.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code gke-inference} command: renders, plans, validates and applies inference deployments.
 *
 * <p>Exit codes: 0 success, 1 findings, 2 invalid input or usage (docs/cli.md).
 */
@Command(
    subcommands = {
      RenderCommand.class,
      SchemaCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      CatalogCommand.class,
      ApplyCommand.class,
      StorageCommand.class,
      DiffCommand.class,
      ClusterCommand.class,
      AutoscaleCommand.class,
      BenchCommand.class,
      KvCacheCommand.class,
      PreflightCommand.class,
      ModelCommand.class,
      MonitorCommand.class,
      AsyncCommand.class,
      VersionCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GkeInferenceCli extends CliRoot {
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
      return run(out, err, commandLine(factory, args), args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The command line for these arguments. When the first argument names a command, only that
   * command (with its own subcommands) is built under the root: picocli builds each command by
   * reflection, which loads the classes its fields and methods name (the Google clients of {@code
   * plan} and {@code cluster}, for example), and a run needs only the one it executes. Any other
   * first argument (none, an option, {@code help}, {@code completion}, an unknown word) gets every
   * command, as they need the whole tree. Either way the arguments parse and run the same.
   */
  static CommandLine commandLine(CommandLine.IFactory factory, String... args) {
    if (args.length > 0) {
      for (Class<?> command : GkeInferenceCli.class.getAnnotation(Command.class).subcommands()) {
        Command annotation = command.getAnnotation(Command.class);
        if (annotation != null
            && !WHOLE_TREE.contains(annotation.name())
            && (annotation.name().equals(args[0])
                || java.util.Arrays.asList(annotation.aliases()).contains(args[0]))) {
          CommandLine lean = new CommandLine(new CliRoot(), factory);
          lean.addSubcommand(
              annotation.name(), new CommandLine(command, factory), annotation.aliases());
          return lean;
        }
      }
    }
    return new CommandLine(new GkeInferenceCli(), factory);
  }

  /** The commands that read the whole command tree: they always get every command. */
  private static final java.util.Set<String> WHOLE_TREE = java.util.Set.of("help", "completion");

  private static int run(PrintWriter out, PrintWriter err, CommandLine cli, String... args) {
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> INVALID);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine help = cli.getSubcommands().get("help");
    if (help != null) {
      help.getCommandSpec()
          .usageMessage()
          .footerHeading("%nExamples:%n")
          .footer("  gke-inference help plan", "  gke-inference help kvcache simulate");
    }
    HelpLayout.install(cli);
    CliRoot root = cli.getCommand();
    root.colourOn = CliSettings.colour();
    colours(cli, root.colourOn);
    cli.setExecutionStrategy(
        parsed -> {
          List<ParseResult> chain = chain(parsed);
          ParseResult last = chain.get(chain.size() - 1);
          Colour when = Colour.auto;
          for (ParseResult p : chain) {
            when = p.matchedOptionValue("--color", when);
            root.quietOn |= p.hasMatchedOption("--quiet");
          }
          root.colourOn =
              switch (when) {
                case always -> true;
                case never -> false;
                case auto -> CliSettings.colour();
              };
          colours(cli, root.colourOn);
          if (!last.unmatched().isEmpty()) {
            // picocli skips this check when --help is given: 'preflight --help' would print the
            // top-level help and exit 0
            String first = last.unmatched().get(0);
            CommandSpec at = last.commandSpec();
            err.println(
                first.startsWith("-")
                    ? "error: unknown option '" + first + "' for '" + at.qualifiedName() + "'"
                    : "error: unknown command '"
                        + first
                        + "' for '"
                        + at.qualifiedName()
                        + "'; see '"
                        + at.qualifiedName()
                        + " --help'");
            return INVALID;
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println("error: " + e.getMessage());
          e.getCommandLine().usage(err);
          return INVALID;
        });
    return cli.execute(args);
  }

  /** The parse results from the top-level command down to the one that runs. */
  private static List<ParseResult> chain(ParseResult top) {
    List<ParseResult> chain = new java.util.ArrayList<>();
    ParseResult p = top;
    while (p != null) {
      chain.add(p);
      p = p.subcommand();
    }
    return chain;
  }

  /** Sets picocli's colour scheme (help) on a command and every subcommand. */
  private static void colours(CommandLine cli, boolean on) {
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(on ? Ansi.ON : Ansi.OFF));
    for (CommandLine sub : cli.getSubcommands().values()) {
      colours(sub, on);
    }
  }

  /** Returns whether a command's output may be coloured ({@code --color}, terminal, NO_COLOR). */
  static boolean colour(CommandSpec spec) {
    return spec.root().userObject() instanceof CliRoot root ? root.colourOn : CliSettings.colour();
  }

  /** Returns whether {@code --quiet} was given. */
  static boolean quiet(CommandSpec spec) {
    return spec.root().userObject() instanceof CliRoot root && root.quietOn;
  }
}
