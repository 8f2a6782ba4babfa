package io.github.gkeinference.accelerators.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the small CSV tables bundled with this module (prices, calibration coverage): lines
 * starting with {@code #} are comments, the first other line is the header, and every row has a
 * fixed number of comma-separated fields without quoting.
 */
public final class BundledCsv {
  private BundledCsv() {}

  /**
   * One row of a table.
   *
   * @param line the 1-based line number in the resource, for error messages
   * @param fields the fields, trimmed
   */
  public record Row(int line, List<String> fields) {
    /** Returns field {@code i}. */
    public String get(int i) {
      return fields.get(i);
    }
  }

  /**
   * Reads a table.
   *
   * @param owner the class whose loader finds the resource
   * @param resource the absolute resource name
   * @param fields the fields every row has
   * @return the rows after the header
   * @throws IllegalStateException when the resource is missing or a row has another field count
   */
  public static List<Row> read(Class<?> owner, String resource, int fields) {
    InputStream in = owner.getResourceAsStream(resource);
    Objects.requireNonNull(in, resource);
    List<Row> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      boolean header = true;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] f = line.split(",", -1);
        if (f.length != fields) {
          throw new IllegalStateException(
              resource + ":" + number + ": expected " + fields + " fields, found " + f.length);
        }
        List<String> trimmed = new ArrayList<>(f.length);
        for (String field : f) {
          trimmed.add(field.trim());
        }
        rows.add(new Row(number, List.copyOf(trimmed)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(rows);
  }
}
