package io.github.gkeinference.samples.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import picocli.CommandLine.Option;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The one {@code -o table|json|yaml} option of every command that prints a result (a picocli
 * mixin), and the one way such a result is printed as JSON or YAML: a small typed record (or a JSON
 * tree) serialised by Jackson, so that JSON and YAML carry the same data. Record components keep
 * their declared order; absent values ({@code null}, empty {@code Optional}) are left out.
 * docs/cli.md documents each command's shape.
 */
final class OutputFormat {
  /** The formats. */
  enum Format {
    table,
    json,
    yaml
  }

  /**
   * The mappers, built on first use (holder idiom): picocli creates this mixin for every command on
   * each start, and building them loads hundreds of Jackson classes a table never needs.
   */
  private static final class Mappers {
    static final JsonMapper JSON =
        common(JsonMapper.builder()).enable(SerializationFeature.INDENT_OUTPUT).build();

    static final YAMLMapper YAML =
        common(YAMLMapper.builder()).disable(YAMLWriteFeature.WRITE_DOC_START_MARKER).build();

    /** What JSON and YAML share: declared order, absent values left out. */
    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B common(B builder) {
      return builder
          .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .changeDefaultPropertyInclusion(
              i -> i.withValueInclusion(JsonInclude.Include.NON_ABSENT));
    }

    private Mappers() {}
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json or yaml; docs/cli.md describes the JSON.")
  Format format = Format.table;

  /** Returns whether the human-readable table (or text) was asked for. */
  boolean table() {
    return format == Format.table;
  }

  /**
   * Prints a result as JSON or YAML; with {@code table} it does nothing (the command prints its own
   * table).
   *
   * @param out standard output
   * @param result a record of the command's result, or a JSON tree
   */
  void print(PrintWriter out, Object result) {
    switch (format) {
      case json -> out.println(Mappers.JSON.writeValueAsString(result));
      case yaml -> out.print(Mappers.YAML.writeValueAsString(result));
      case table -> {
        return;
      }
    }
    out.flush();
  }
}
