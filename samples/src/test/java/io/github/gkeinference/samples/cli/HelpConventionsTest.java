package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Help, colour, quiet and unknown-command conventions across every command. */
class HelpConventionsTest {

  /** Every command path under the top-level command, for example {@code [catalog, models]}. */
  private static List<List<String>> commands() {
    List<List<String>> all = new ArrayList<>();
    collect(GkeInferenceCli.commandLine(CommandLine.defaultFactory()), new ArrayList<>(), all);
    return all;
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> all) {
    all.add(List.copyOf(path));
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> next = new ArrayList<>(path);
              next.add(name);
              collect(sub, next, all);
            });
  }

  @Test
  void commandTable_namesEachCommandAsItsAnnotationDoes_andTheTreeHasThemAllPlusHelp() {
    for (var command : GkeInferenceCli.COMMANDS) {
      assertThat(command.getValue().getAnnotation(CommandLine.Command.class).name())
          .as(command.getValue().getSimpleName())
          .isEqualTo(command.getKey());
      if (GkeInferenceCli.WHOLE_TREE.contains(command.getKey())) {
        continue;
      }
      // the lean tree of one command: the root and that command only
      assertThat(
              GkeInferenceCli.commandLine(CommandLine.defaultFactory(), command.getKey(), "--help")
                  .getSubcommands())
          .containsOnlyKeys(command.getKey());
    }
    assertThat(GkeInferenceCli.commandLine(CommandLine.defaultFactory()).getSubcommands().keySet())
        .containsExactlyElementsOf(
            java.util.stream.Stream.concat(
                    GkeInferenceCli.COMMANDS.stream().map(java.util.Map.Entry::getKey),
                    java.util.stream.Stream.of("help"))
                .toList());
  }

  /** The command line of one command path under the top-level one. */
  private static CommandLine at(CommandLine top, List<String> path) {
    CommandLine cli = top;
    for (String name : path) {
      cli = cli.getSubcommands().get(name);
    }
    return cli;
  }

  private static CliRun help(List<String> path) {
    CliRun cli = new CliRun();
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    assertThat(cli.run(args.toArray(String[]::new))).as(String.join(" ", path)).isZero();
    return cli;
  }

  @Test
  void everyCommandsHelp_hasAnExamplesSection() {
    List<List<String>> commands = commands();
    assertThat(commands).hasSizeGreaterThan(15);
    for (List<String> path : commands) {
      CliRun cli = help(path);
      assertThat(cli.out()).as(String.join(" ", path)).contains("\nExamples:\n  ");
    }
  }

  @Test
  void help_neverBreaksAToken_overTwoLines() {
    CommandLine model = GkeInferenceCli.commandLine(CommandLine.defaultFactory());
    for (List<String> path : commands()) {
      CommandLine cli = at(model, path);
      CommandSpec spec = cli.getCommandSpec();
      List<String> texts = new ArrayList<>(Arrays.asList(spec.usageMessage().description()));
      for (OptionSpec o : spec.options()) {
        texts.addAll(Arrays.asList(o.description()));
      }
      spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
      texts.addAll(Arrays.asList(spec.usageMessage().footer()));
      String help = help(path).out();
      // variables such as ${DEFAULT-VALUE} are resolved before the text is wrapped
      assertThat(help)
          .as(String.join(" ", path))
          .doesNotContain("${DEFAULT-VALUE}", "${COMPLETION-CANDIDATES}");
      for (String text : texts) {
        for (String token : text.replace("%n", " ").split("\\s+")) {
          // every token of every description is printed whole, on one line
          assertThat(help).as(String.join(" ", path) + ": " + token).contains(token);
        }
      }
    }
    // the token the issue saw split: app.kubernetes. / io/managed-by
    assertThat(help(List.of("apply")).out())
        .contains("app.kubernetes.io/managed-by=gke-inference-sdk");
  }

  @Test
  void help_linesFitTheWidth_exceptExampleCommandsAndSingleLongTokens() {
    for (List<String> path : commands()) {
      String help = help(path).out();
      int examples = help.indexOf("\nExamples:\n");
      String body = examples < 0 ? help : help.substring(0, examples);
      for (String line : body.lines().toList()) {
        if (line.length() > HelpLayout.WIDTH) {
          // a line over the width is the synopsis or one token too long to break
          assertThat(line.strip().split(" +").length)
              .as(String.join(" ", path) + ": " + line)
              .isEqualTo(1);
        }
      }
    }
  }

  @Test
  void everyOptionWithAValue_hasAShortLabel_soTheSynopsisNeverSplitsOne() {
    CommandLine model = GkeInferenceCli.commandLine(CommandLine.defaultFactory());
    for (List<String> path : commands()) {
      CommandLine cli = at(model, path);
      for (OptionSpec o : cli.getCommandSpec().options()) {
        if (o.arity().max() > 0) {
          // picocli's default label is <fieldName>, which makes synopsis tokens too long to fit
          assertThat(o.paramLabel()).as(path + " " + o.longestName()).doesNotStartWith("<");
        }
      }
      for (String line : help(path).out().lines().toList()) {
        // a split <label> or [--option] would leave one of its brackets alone on a line
        assertThat(line.chars().filter(c -> c == '[').count())
            .as(path + ": " + line)
            .isEqualTo(line.chars().filter(c -> c == ']').count());
      }
    }
  }

  @Test
  void unknownCommandWithHelp_exits2_sayingUnknownCommand() {
    CliRun cli = new CliRun();
    // issue 20's example, 'preflight', is a command now: a misspelling of it is not
    assertThat(cli.run("preflite", "--help")).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine("error: unknown command 'preflite' for 'gke-inference'");
    assertThat(cli.out()).isEmpty();

    CliRun nested = new CliRun();
    assertThat(nested.run("catalog", "gpus", "--help")).isEqualTo(GkeInferenceCli.INVALID);
    nested.assertOneErrorLine("error: unknown command 'gpus' for 'gke-inference catalog'");
  }

  @Test
  void colour_always_colours_never_andNotOnATerminal_doNot() {
    CliRun always = new CliRun();
    assertThat(always.run("--color", "always", "catalog", "models", "--help")).isZero();
    assertThat(always.out()).contains("\u001b[");

    CliRun never = new CliRun();
    assertThat(never.run("catalog", "models", "--help", "--color", "never")).isZero();
    assertThat(never.out()).doesNotContain("\u001b[");

    // tests do not run on a terminal: auto means no colour
    CliRun auto = new CliRun();
    assertThat(auto.run("catalog", "models", "--help")).isZero();
    assertThat(auto.out()).doesNotContain("\u001b[");
  }

  @Test
  void colour_always_colorsThePlanTable_butNeverItsJson() {
    String[] plan = {"plan", "--model", "meta-llama/Llama-3.1-8B-Instruct"};
    CliRun table = new CliRun();
    table.run(CliRun.append(plan, "--color", "always"));
    // the OK column: green yes or red no
    assertThat(table.out()).containsAnyOf("\u001b[32m", "\u001b[31m");

    CliRun plain = new CliRun();
    plain.run(CliRun.append(plan, "--color", "never"));
    assertThat(plain.out()).doesNotContain("\u001b[");

    CliRun json = new CliRun();
    json.run(CliRun.append(plan, "--color", "always", "-o", "json"));
    assertThat(json.out()).doesNotContain("\u001b[");
    assertThat(json.json().path("options").size()).isPositive();
  }

  @Test
  void colour_unknownValue_isAUsageError() {
    CliRun cli = new CliRun();
    assertThat(cli.run("--color", "sometimes", "version")).isEqualTo(GkeInferenceCli.INVALID);
    assertThat(cli.err()).contains("--color").contains("auto, always, never");
  }

  @Test
  void progress_isOffWithoutATerminal_soJsonAndStderrStayClean() {
    CliRun simulate = new CliRun();
    assertThat(
            simulate.run(
                "kvcache", "simulate", "--requests", "100", "--blocks", "512", "-o", "json"))
        .isZero();
    assertThat(simulate.json().path("results").size()).isEqualTo(4); // one per routing policy
    assertThat(simulate.err()).isEmpty();

    CliRun quiet = new CliRun();
    assertThat(quiet.run("-q", "kvcache", "simulate", "--requests", "100", "--blocks", "512"))
        .isZero();
    assertThat(quiet.out()).doesNotContain("\r").contains("hit rate");
    assertThat(quiet.err()).isEmpty();

    CliRun recommend = new CliRun();
    recommend.run("autoscale", "recommend", "--hours", "1", "--max-rps", "6", "-o", "json");
    assertThat(recommend.json().path("minReplicas").asInt()).isPositive();
    assertThat(recommend.err()).isEmpty();
  }

  @Test
  void progress_off_printsNothing_evenWhenAsked() {
    java.io.StringWriter err = new java.io.StringWriter();
    try (Progress p = Progress.off(new java.io.PrintWriter(err, true))) {
      assertThat(p.on()).isFalse();
      assertThat(p.ticking("working", () -> 42)).isEqualTo(42);
      p.status("step 2/3");
    }
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void wrap_breaksAtSpacesOnly_andKeepsALongTokenWhole() {
    assertThat(HelpLayout.wrap("aa bb cc", 5)).containsExactly("aa bb", "cc");
    assertThat(HelpLayout.wrap("x app.kubernetes.io/managed-by=gke-inference-sdk y", 10))
        .containsExactly("x", "app.kubernetes.io/managed-by=gke-inference-sdk", "y");
  }
}
