package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

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

  /** Asserts that the run printed exactly one error line, starting with {@code start}, no trace. */
  void assertOneErrorLine(String start) {
    assertThat(err().lines()).as(err()).singleElement().asString().startsWith(start);
    assertThat(out() + err()).doesNotContain("\tat ", "Exception in thread");
  }
}
