package io.github.gkeinference.samples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A plain-text table with left-aligned columns separated by two spaces; numbers may be
 * right-aligned. A cell may be styled (coloured) after padding, so colour codes never break the
 * alignment.
 */
final class Table {
  private final List<String> headers;
  private final List<Boolean> rightAligned;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<List<UnaryOperator<String>>> styles = new ArrayList<>();

  private Table(List<String> headers, List<Boolean> rightAligned) {
    this.headers = List.copyOf(headers);
    this.rightAligned = List.copyOf(rightAligned);
  }

  /** Returns a table whose columns are all left-aligned. */
  static Table of(String... headers) {
    List<Boolean> left = new ArrayList<>();
    for (int i = 0; i < headers.length; i++) {
      left.add(false);
    }
    return new Table(List.of(headers), left);
  }

  /** Returns a copy of this (empty) table that right-aligns the given columns. */
  Table rightAlign(int... columns) {
    List<Boolean> right = new ArrayList<>(rightAligned);
    for (int c : columns) {
      right.set(c, true);
    }
    return new Table(headers, right);
  }

  /** Adds a row; it must have one cell per header. */
  Table row(String... cells) {
    return row(List.of(cells), List.of());
  }

  /**
   * Adds a row with styles: {@code styles.get(i)} is applied to cell {@code i} after padding (an
   * absent or shorter list leaves the cells plain).
   */
  Table row(List<String> cells, List<UnaryOperator<String>> cellStyles) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.size() + " cells, table has " + headers.size() + " columns");
    }
    rows.add(List.copyOf(cells));
    styles.add(List.copyOf(cellStyles));
    return this;
  }

  /** Prints the header and every row. */
  void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    out.println(line(headers, List.of(), width));
    for (int r = 0; r < rows.size(); r++) {
      out.println(line(rows.get(r), styles.get(r), width));
    }
    out.flush();
  }

  private String line(List<String> cells, List<UnaryOperator<String>> cellStyles, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      boolean last = c == cells.size() - 1;
      String padded = rightAligned.get(c) ? pad + cell : (last ? cell : cell + pad);
      line.append(c < cellStyles.size() ? cellStyles.get(c).apply(padded) : padded);
      if (!last) {
        line.append("  ");
      }
    }
    return line.toString();
  }
}
