package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Runs the CLI in-process and keeps what it printed. */
final class CliRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return GkeInferenceCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /**
   * Parses standard output as one JSON document (strictly: nothing else may be printed there) and
   * returns it.
   */
  JsonNode json() {
    return JsonMapper.builder().build().readTree(out());
  }

  /** Parses standard output as one YAML document and returns it as a tree. */
  JsonNode yaml() {
    return YAMLMapper.builder().build().readTree(out());
  }

  /** Runs the same arguments with {@code -o json} and {@code -o yaml} and checks they agree. */
  static JsonNode jsonAgreeingWithYaml(String... args) {
    CliRun json = new CliRun();
    json.run(append(args, "-o", "json"));
    CliRun yaml = new CliRun();
    yaml.run(append(args, "-o", "yaml"));
    JsonNode tree = json.json();
    assertThat(yaml.yaml()).as(yaml.out()).isEqualTo(tree);
    return tree;
  }

  static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  /** Asserts that the run printed exactly one error line, starting with {@code start}, no trace. */
  void assertOneErrorLine(String start) {
    assertThat(err().lines()).as(err()).singleElement().asString().startsWith(start);
    assertThat(out() + err()).doesNotContain("\tat ", "Exception in thread");
  }
}
