package io.github.gkeinference.benchmarks.kvcache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a JMH JSON result of the paged attention benchmarks ({@code -rf json -rff FILE}) into the
 * table {@code docs/benchmarks.md} records: for each dtype and thread count, the fastest read of
 * the same bytes measured in that run (the scalar {@code sequentialRead} of either benchmark JVM or
 * the Vector API {@code sequentialReadVector}, whichever was faster), each kernel's time and its
 * ratio to that read (1.0 = attention as fast as reading its K/V once), and the compute-only time
 * (K/V resident in the CPU caches) of each kernel.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.gkeinference.benchmarks.kvcache.AttentionRatios result.json}
 */
public final class AttentionRatios {

  private static final String SCALAR = PagedAttentionBenchmark.class.getSimpleName();
  private static final String VECTOR = PagedAttentionVectorBenchmark.class.getSimpleName();
  private static final String COMPUTE = PagedAttentionComputeBenchmark.class.getSimpleName();
  private static final String COMPUTE_VECTOR =
      PagedAttentionComputeVectorBenchmark.class.getSimpleName();

  /** One row: a dtype and thread count. Times in the JMH unit of the run (ms/op). */
  record Row(
      String dtype,
      int threads,
      OptionalDouble fastestRead,
      String fastestReadName,
      OptionalDouble scalarKernel,
      OptionalDouble vectorKernel,
      OptionalDouble scalarCompute,
      OptionalDouble vectorCompute) {

    /** The fastest read's time over a kernel's time, or empty when either is missing. */
    static OptionalDouble ratio(OptionalDouble read, OptionalDouble kernel) {
      return read.isPresent() && kernel.isPresent()
          ? OptionalDouble.of(read.getAsDouble() / kernel.getAsDouble())
          : OptionalDouble.empty();
    }
  }

  private AttentionRatios() {}

  /**
   * Reads a JMH JSON result.
   *
   * @param json the file's text
   * @return a row per dtype and thread count found, in dtype then thread order
   */
  static List<Row> rows(String json) {
    JsonNode results = JsonMapper.builder().build().readTree(json);
    // (dtype, threads) -> "Class.method" -> score
    Map<String, Map<String, Double>> scores = new TreeMap<>();
    for (JsonNode r : results) {
      String benchmark = r.get("benchmark").asString();
      String[] parts = benchmark.split("\\.");
      if (parts.length < 2) {
        continue;
      }
      String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
      JsonNode params = r.get("params");
      if (params == null || params.get("dtype") == null || params.get("threads") == null) {
        continue;
      }
      String key =
          params.get("dtype").asString() + "/" + Integer.parseInt(params.get("threads").asString());
      scores
          .computeIfAbsent(key, k -> new TreeMap<>())
          .put(name, r.get("primaryMetric").get("score").asDouble());
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> e : scores.entrySet()) {
      Map<String, Double> s = e.getValue();
      String fastest = "";
      double best = Double.POSITIVE_INFINITY;
      for (String read :
          List.of(
              SCALAR + ".sequentialRead",
              VECTOR + ".sequentialRead",
              VECTOR + ".sequentialReadVector")) {
        Double t = s.get(read);
        if (t != null && t < best) {
          best = t;
          fastest = read;
        }
      }
      String[] key = e.getKey().split("/");
      rows.add(
          new Row(
              key[0],
              Integer.parseInt(key[1]),
              fastest.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(best),
              fastest,
              of(s.get(SCALAR + ".decode")),
              of(s.get(VECTOR + ".decode")),
              of(s.get(COMPUTE + ".decode")),
              of(s.get(COMPUTE_VECTOR + ".decode"))));
    }
    rows.sort(
        (a, b) ->
            a.dtype().equals(b.dtype())
                ? Integer.compare(a.threads(), b.threads())
                : order(a.dtype()) - order(b.dtype()));
    return rows;
  }

  private static int order(String dtype) {
    int i = List.of("F32", "BF16", "F16", "FP8_E4M3", "FP8_E5M2").indexOf(dtype);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static OptionalDouble of(Double d) {
    return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  /**
   * The Markdown table of the rows.
   *
   * @param rows the rows
   * @return the table, one line per row after the header
   */
  static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| dtype | threads | fastest read (ms) | which read | scalar kernel (ms) | scalar / read"
            + " | vector kernel (ms) | vector / read | scalar compute-only (ms) | vector"
            + " compute-only (ms) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append("| ")
          .append(r.dtype())
          .append(" | ")
          .append(r.threads())
          .append(" | ")
          .append(ms(r.fastestRead()))
          .append(" | ")
          .append(r.fastestReadName().isEmpty() ? "-" : "`" + r.fastestReadName() + "`")
          .append(" | ")
          .append(ms(r.scalarKernel()))
          .append(" | ")
          .append(ratio(Row.ratio(r.fastestRead(), r.scalarKernel())))
          .append(" | ")
          .append(ms(r.vectorKernel()))
          .append(" | ")
          .append(ratio(Row.ratio(r.fastestRead(), r.vectorKernel())))
          .append(" | ")
          .append(ms(r.scalarCompute()))
          .append(" | ")
          .append(ms(r.vectorCompute()))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String ms(OptionalDouble d) {
    return d.isPresent() ? String.format(Locale.ROOT, "%.2f", d.getAsDouble()) : "-";
  }

  private static String ratio(OptionalDouble d) {
    return d.isPresent() ? String.format(Locale.ROOT, "%.2f", d.getAsDouble()) : "-";
  }

  /**
   * Prints the table of a JMH JSON result file.
   *
   * @param args the result file
   * @throws IOException if it cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: AttentionRatios JMH_RESULT.json");
      System.exit(2);
    }
    System.out.print(table(rows(Files.readString(Path.of(args[0])))));
  }
}
