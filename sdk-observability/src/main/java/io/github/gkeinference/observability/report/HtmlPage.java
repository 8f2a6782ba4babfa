package io.github.gkeinference.observability.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One self-contained HTML report page: headings, paragraphs, tables and {@link Chart charts}, with
 * inline CSS and SVG, no scripts and no external files. Every text is escaped; the output depends
 * only on what was added (no timestamps of its own), so the same report renders the same bytes.
 *
 * <pre>{@code
 * String html = HtmlPage.titled("Load test")
 *     .paragraph("http://127.0.0.1:8000, model m")
 *     .table(Table.of("Requests", "Succeeded").row("200", "199"))
 *     .chart(chart)
 *     .html();
 * }</pre>
 */
public final class HtmlPage {
  private static final String STYLE =
      "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1300px}"
          + "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}"
          + "table{border-collapse:collapse;font-size:.9em;margin:.8em 0}"
          + "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}"
          + "th{background:#f3f3f3}td.text,th.text{text-align:left}"
          + "figure{margin:1em 0}code,pre{font-family:ui-monospace,monospace;font-size:.9em}"
          + "pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap;word-break:break-all}"
          + ".estimate{border-left:4px solid #f28e2b;padding:.3em .8em;background:#fff8ef}"
          + ".warning{color:#b00}";

  private final String title;
  private final List<String> body = new ArrayList<>();

  private HtmlPage(String title) {
    this.title = title;
  }

  /** Starts a page whose {@code <title>} and first heading are {@code title}. */
  public static HtmlPage titled(String title) {
    return new HtmlPage(title);
  }

  /** A section heading. */
  public HtmlPage heading(String text) {
    body.add("<h2>" + Html.escape(text) + "</h2>");
    return this;
  }

  /** A paragraph of text. */
  public HtmlPage paragraph(String text) {
    body.add("<p>" + Html.escape(text) + "</p>");
    return this;
  }

  /** A paragraph in bold, for the one line a reader must see first. */
  public HtmlPage lead(String text) {
    body.add("<p><strong>" + Html.escape(text) + "</strong></p>");
    return this;
  }

  /** A paragraph in red, for failures and options that do not work. */
  public HtmlPage warning(String text) {
    body.add("<p class=\"warning\"><strong>" + Html.escape(text) + "</strong></p>");
    return this;
  }

  /** A highlighted note that says which numbers are estimates and of what. */
  public HtmlPage estimateNote(String text) {
    body.add("<p class=\"estimate\"><strong>Estimates.</strong> " + Html.escape(text) + "</p>");
    return this;
  }

  /** A labelled block of code (a command line, flags), kept verbatim. */
  public HtmlPage code(String label, String code) {
    body.add(
        "<p>" + Html.escape(label) + "</p>\n<pre><code>" + Html.escape(code) + "</code></pre>");
    return this;
  }

  /** A table. */
  public HtmlPage table(Table table) {
    body.add(table.html());
    return this;
  }

  /** A chart, drawn inline. */
  public HtmlPage chart(Chart chart) {
    String svg = chart.svg();
    body.add("<figure>\n" + svg.substring(0, svg.length() - 1) + "\n</figure>");
    return this;
  }

  /** Returns the page. */
  public String html() {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(Html.escape(title))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(Html.escape(title))
        .append("</h1>\n");
    for (String part : body) {
      h.append(part).append('\n');
    }
    return h.append("</body>\n</html>\n").toString();
  }

  /**
   * A table: a header row, then rows of text cells. Columns are right-aligned (numbers) except the
   * first and those marked {@link #textColumns text}.
   */
  public static final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] text;

    private Table(List<String> header) {
      if (header.isEmpty()) {
        throw new IllegalArgumentException("a table needs at least one column");
      }
      this.header = List.copyOf(header);
      this.text = new boolean[header.size()];
      text[0] = true;
    }

    /** A table with these column headings. */
    public static Table of(String... header) {
      return new Table(List.of(header));
    }

    /** Marks columns (0-based) that hold text, which is left-aligned. */
    public Table textColumns(int... columns) {
      for (int c : columns) {
        text[c] = true;
      }
      return this;
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(String... cells) {
      return row(List.of(cells));
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(List<String> cells) {
      if (cells.size() != header.size()) {
        throw new IllegalArgumentException(
            "row has " + cells.size() + " cells for " + header.size() + " columns: " + cells);
      }
      rows.add(List.copyOf(cells));
      return this;
    }

    String html() {
      StringBuilder h = new StringBuilder("<table>\n<tr>");
      for (int c = 0; c < header.size(); c++) {
        h.append(text[c] ? "<th class=\"text\">" : "<th>")
            .append(Html.escape(header.get(c)))
            .append("</th>");
      }
      h.append("</tr>\n");
      for (List<String> row : rows) {
        h.append("<tr>");
        for (int c = 0; c < row.size(); c++) {
          h.append(text[c] ? "<td class=\"text\">" : "<td>")
              .append(Html.escape(row.get(c)))
              .append("</td>");
        }
        h.append("</tr>\n");
      }
      return h.append("</table>").toString();
    }
  }
}
