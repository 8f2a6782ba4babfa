package io.github.gkeinference.samples.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code gke-inference} command: renders, plans, validates and applies inference deployments.
 *
 * <p>Exit codes: 0 success, 1 findings, 2 invalid input or usage (docs/cli.md).
 */
public final class GkeInferenceCli {
  /** Success. */
  public static final int OK = 0;

  /** The command ran and found problems (for example validation findings). */
  public static final int FINDINGS = 1;

  /** Invalid input or usage. */
  public static final int INVALID = 2;

  private GkeInferenceCli() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    // Two lookups that would open every jar of the class path (about 100 ms and 50 ms), as a class
    // or service that is not in the first jars is searched for in all of them: picocli's default
    // factory looks for Groovy's Closure class when it first loads (the CLI has no Groovy), and
    // SLF4J, first called by fabric8, looks for its providers with a ServiceLoader (the CLI has
    // one, slf4j-simple). Both libraries document these settings.
    setIfAbsent("picocli.disable.closures", "true");
    setIfAbsent("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
    setIfAbsent("slf4j.internal.verbosity", "WARN"); // no line saying it used that setting
    int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    // A successful run just returns: System.exit logs the exit through System.Logger (JDK 21+),
    // whose first use looks for a logger backend in every jar of the class path (about 45 ms). An
    // error code, or a thread a command left running, still needs System.exit.
    if (code != OK || otherThreadsRunning()) {
      System.exit(code);
    }
  }

  /** Whether a live non-daemon thread other than this one would keep the JVM running. */
  private static boolean otherThreadsRunning() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n = root.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      Thread t = threads[i];
      if (t != Thread.currentThread() && t.isAlive() && !t.isDaemon()) {
        return true;
      }
    }
    return n == threads.length; // more threads than the array holds: assume one may be running
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
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
   * Every command by the name it runs under, in the order help lists them: the one list of the
   * CLI's commands. Each class's {@code @Command} gives the same name ({@code
   * HelpConventionsTest}), so looking a command up by its first argument reads no annotation.
   */
  static final List<Map.Entry<String, Class<?>>> COMMANDS =
      List.of(
          Map.entry("render", RenderCommand.class),
          Map.entry("schema", SchemaCommand.class),
          Map.entry("validate", ValidateCommand.class),
          Map.entry("plan", PlanCommand.class),
          Map.entry("catalog", CatalogCommand.class),
          Map.entry("apply", ApplyCommand.class),
          Map.entry("storage", StorageCommand.class),
          Map.entry("diff", DiffCommand.class),
          Map.entry("cluster", ClusterCommand.class),
          Map.entry("autoscale", AutoscaleCommand.class),
          Map.entry("bench", BenchCommand.class),
          Map.entry("kvcache", KvCacheCommand.class),
          Map.entry("preflight", PreflightCommand.class),
          Map.entry("model", ModelCommand.class),
          Map.entry("monitor", MonitorCommand.class),
          Map.entry("async", AsyncCommand.class),
          Map.entry("version", VersionCommand.class),
          Map.entry("completion", CompletionCommand.class));

  /**
   * The command line for these arguments. When the first argument names a command, only that
   * command (with its own subcommands) is built under the root: picocli builds each command by
   * reflection, which loads the classes its fields and methods name (the Google clients of {@code
   * plan} and {@code cluster}, for example), and a run needs only the one it executes. Any other
   * first argument (none, an option, {@code help}, {@code completion}, an unknown word) gets every
   * command, as they need the whole tree; {@code --version} (or {@code -V}) alone gets the root
   * alone. Either way the arguments parse and run the same.
   */
  static CommandLine commandLine(CommandLine.IFactory factory, String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return new CommandLine(new CliRoot(), factory); // the root's own option needs no command
    }
    if (args.length > 0 && !WHOLE_TREE.contains(args[0])) {
      for (Map.Entry<String, Class<?>> command : COMMANDS) {
        if (command.getKey().equals(args[0])) {
          CommandLine lean = new CommandLine(new CliRoot(), factory);
          lean.addSubcommand(command.getKey(), new CommandLine(command.getValue(), factory));
          return lean;
        }
      }
    }
    CommandLine whole = new CommandLine(new CliRoot(), factory);
    for (Map.Entry<String, Class<?>> command : COMMANDS) {
      whole.addSubcommand(command.getKey(), new CommandLine(command.getValue(), factory));
    }
    return whole.addSubcommand("help", new CommandLine(new CommandLine.HelpCommand(), factory));
  }

  /** The commands that read the whole command tree: they always get every command. */
  static final java.util.Set<String> WHOLE_TREE = java.util.Set.of("help", "completion");

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
          CliRoot.Colour when = CliRoot.Colour.auto;
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
