package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How {@code -o json|yaml} writes the primitive optionals of result records. */
class OutputFormatTest {

  /** A result with one primitive optional of each kind. */
  record Result(String name, OptionalInt count, OptionalLong bytes, OptionalDouble usdPerHour) {}

  private static String print(OutputFormat.Format format, Object result) {
    OutputFormat o = new OutputFormat();
    o.format = format;
    StringWriter s = new StringWriter();
    o.print(new PrintWriter(s), result);
    return s.toString();
  }

  /** An empty OptionalInt/OptionalLong/OptionalDouble is left out, as an empty Optional is. */
  @Test
  void json_emptyPrimitiveOptionals_areLeftOut() {
    String json =
        print(
            OutputFormat.Format.json,
            new Result("a", OptionalInt.empty(), OptionalLong.empty(), OptionalDouble.empty()));

    assertThat(json).contains("\"name\"").doesNotContain("count", "bytes", "usdPerHour", "null");
  }

  /** A present one is written as its plain number, not as an object. */
  @Test
  void json_presentPrimitiveOptionals_areNumbers() {
    String json =
        print(
            OutputFormat.Format.json,
            new Result("a", OptionalInt.of(2), OptionalLong.of(3L), OptionalDouble.of(1.5)));

    assertThat(json.replaceAll("\\s", ""))
        .isEqualTo("{\"name\":\"a\",\"count\":2,\"bytes\":3,\"usdPerHour\":1.5}");
  }

  /** YAML leaves the empty ones out too. */
  @Test
  void yaml_emptyPrimitiveOptionals_areLeftOut() {
    String yaml =
        print(
            OutputFormat.Format.yaml,
            new Result("a", OptionalInt.empty(), OptionalLong.empty(), OptionalDouble.of(1.5)));

    assertThat(yaml).contains("usdPerHour: 1.5").doesNotContain("count", "bytes", "null");
  }
}
