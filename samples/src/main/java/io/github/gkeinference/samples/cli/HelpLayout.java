package io.github.gkeinference.samples.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The help layout of every command: the description, parameter, option and command lists wrapped at
 * spaces only, so that no token ({@code app.kubernetes.io/managed-by}, a URL, a flag) is ever split
 * over two lines (picocli's own layout breaks wherever Java's line break iterator allows, such as
 * after '.' or '/'); the Examples footer printed line by line as written.
 */
final class HelpLayout {
  /** The help width; a token longer than a line's room stays whole on its own line. */
  static final int WIDTH = 80;

  /** The column option and parameter descriptions start in. */
  private static final int DESCRIPTION_COLUMN = 30;

  private HelpLayout() {}

  /** Installs the layout on a command line and every subcommand under it. */
  static void install(CommandLine cli) {
    cli.setUsageHelpWidth(WIDTH);
    Map<String, CommandLine.IHelpSectionRenderer> sections = cli.getHelpSectionMap();
    sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpLayout::description);
    sections.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, HelpLayout::parameters);
    sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::options);
    sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commands);
    sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
    cli.setHelpSectionMap(sections);
    for (CommandLine sub : cli.getSubcommands().values()) {
      install(sub);
    }
  }

  private static String description(Help help) {
    StringBuilder out = new StringBuilder();
    for (String paragraph : help.commandSpec().usageMessage().description()) {
      for (String line : wrap(text(paragraph), WIDTH)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String parameters(Help help) {
    StringBuilder out = new StringBuilder();
    for (PositionalParamSpec p : help.commandSpec().positionalParameters()) {
      if (p.hidden()) {
        continue;
      }
      String label = p.paramLabel();
      row(
          out,
          "      " + label,
          "      " + help.colorScheme().parameterText(label),
          p.description());
    }
    return out.toString();
  }

  private static String options(Help help) {
    CommandSpec spec = help.commandSpec();
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        options.add(o);
      }
    }
    options.sort(
        Comparator.comparing(
            (OptionSpec o) -> o.longestName().replaceFirst("^-+", "").toLowerCase(Locale.ROOT)));
    StringBuilder out = new StringBuilder();
    Help.ColorScheme colours = help.colorScheme();
    for (OptionSpec o : options) {
      String shortName = null;
      List<String> longNames = new ArrayList<>();
      for (String name : o.names()) {
        if (shortName == null && name.length() == 2) {
          shortName = name;
        } else {
          longNames.add(name);
        }
      }
      String label = o.arity().max() > 0 ? "=" + o.paramLabel() : "";
      StringBuilder plain = new StringBuilder("  ");
      StringBuilder styled = new StringBuilder("  ");
      if (shortName != null) {
        plain.append(shortName);
        styled.append(colours.optionText(shortName));
        if (!longNames.isEmpty()) {
          plain.append(", ");
          styled.append(", ");
        }
      } else {
        plain.append("    ");
        styled.append("    ");
      }
      if (!longNames.isEmpty()) {
        String name = String.join(", ", longNames);
        plain.append(name);
        styled.append(colours.optionText(name));
      }
      if (!label.isEmpty()) {
        plain.append(label);
        styled.append("=").append(colours.parameterText(o.paramLabel()));
      }
      row(out, plain.toString(), styled.toString(), o.description());
    }
    return out.toString();
  }

  private static String commands(Help help) {
    Map<String, Help> subcommands = help.subcommands();
    int width = 0;
    for (String name : subcommands.keySet()) {
      width = Math.max(width, name.length());
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Help> e : subcommands.entrySet()) {
      // picocli's own list shows a command's header, else the first line of its description
      UsageMessageSpec usage = e.getValue().commandSpec().usageMessage();
      String[] description = usage.header().length > 0 ? usage.header() : usage.description();
      String first = description.length == 0 ? "" : text(description[0]).strip();
      String name = e.getKey();
      int column = 2 + width + 2;
      List<String> lines = wrap(first, WIDTH - column);
      out.append("  ")
          .append(help.colorScheme().commandText(name))
          .append(" ".repeat(width - name.length() + 2))
          .append(lines.isEmpty() ? "" : lines.get(0))
          .append('\n');
      for (int i = 1; i < lines.size(); i++) {
        out.append(" ".repeat(column)).append(lines.get(i)).append('\n');
      }
    }
    return out.toString();
  }

  private static String footer(Help help) {
    StringBuilder out = new StringBuilder();
    for (String line : help.commandSpec().usageMessage().footer()) {
      out.append(text(line)).append('\n');
    }
    return out.toString();
  }

  /**
   * Appends one option or parameter: the names in the first column, the description wrapped at
   * spaces from {@link #DESCRIPTION_COLUMN} (on the next line when the names are too wide).
   */
  private static void row(StringBuilder out, String plainNames, String names, String[] paragraphs) {
    int room = WIDTH - DESCRIPTION_COLUMN;
    List<String> lines = new ArrayList<>();
    for (String paragraph : paragraphs) {
      lines.addAll(wrap(text(paragraph), room));
    }
    String indent = " ".repeat(DESCRIPTION_COLUMN);
    int first = 0;
    if (plainNames.length() + 2 <= DESCRIPTION_COLUMN && !lines.isEmpty()) {
      out.append(names)
          .append(" ".repeat(DESCRIPTION_COLUMN - plainNames.length()))
          .append(lines.get(0))
          .append('\n');
      first = 1;
    } else {
      out.append(names).append('\n');
    }
    for (int i = first; i < lines.size(); i++) {
      out.append(indent).append(lines.get(i)).append('\n');
    }
  }

  /** Resolves picocli's format escapes in a description line: {@code %n} and {@code %%}. */
  private static String text(String s) {
    return s.replace("%n", "\n").replace("%%", "%");
  }

  /**
   * Wraps text at spaces into lines of at most {@code width} characters; a word longer than that
   * gets a line of its own, unbroken. Line breaks in the text are kept.
   */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" +")) {
        if (word.isEmpty()) {
          continue;
        }
        if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
          lines.add(line.toString());
          line.setLength(0);
        }
        if (!line.isEmpty()) {
          line.append(' ');
        }
        line.append(word);
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
