package io.github.gkeinference.observability.report;

import java.util.Locale;

/** Writes SVG elements; every text goes through {@link Html#escape}. */
final class Svg {
  static final int TITLE_HEIGHT = 28;
  static final int FONT = 12;

  private final StringBuilder out = new StringBuilder();

  /** The chart as a standalone SVG document. */
  static String document(Chart chart) {
    Svg svg = new Svg();
    svg.out.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"system-ui, sans-serif\" font-size=\"%d\" role=\"img\""
                + " aria-label=\"%s\">\n<title>%s</title>\n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            chart.width(),
            chart.height(),
            chart.width(),
            chart.height(),
            FONT,
            Html.escape(chart.title()),
            Html.escape(chart.title())));
    chart.draw(svg);
    svg.out.append("</svg>\n");
    return svg.out.toString();
  }

  /** Appends markup as is (only for fixed element syntax, never for text). */
  void raw(String markup) {
    out.append(markup).append('\n');
  }

  /** The chart title, bold, at the top left. */
  void title(String text) {
    out.append("<text x=\"4\" y=\"18\" font-size=\"15\" font-weight=\"bold\">")
        .append(Html.escape(text))
        .append("</text>\n");
  }

  void text(double x, double y, String anchor, String text) {
    text(x, y, anchor, text, "");
  }

  void text(double x, double y, String anchor, String text, String extra) {
    out.append("<text x=\"")
        .append(Numbers.coordinate(x))
        .append("\" y=\"")
        .append(Numbers.coordinate(y))
        .append('"');
    if (!anchor.equals("start")) {
      out.append(" text-anchor=\"").append(anchor).append('"');
    }
    out.append(extra).append('>').append(Html.escape(text)).append("</text>\n");
  }

  /** A vertical axis title, rotated, centred on {@code y}. */
  void verticalText(double x, double y, String text) {
    String cx = Numbers.coordinate(x);
    String cy = Numbers.coordinate(y);
    out.append("<text x=\"")
        .append(cx)
        .append("\" y=\"")
        .append(cy)
        .append("\" text-anchor=\"middle\" transform=\"rotate(-90 ")
        .append(cx)
        .append(' ')
        .append(cy)
        .append(")\">")
        .append(Html.escape(text))
        .append("</text>\n");
  }

  void line(double x1, double y1, double x2, double y2, String stroke, String extra) {
    element("line", "x1", x1, "y1", y1, "x2", x2, "y2", y2);
    out.append(" stroke=\"").append(stroke).append('"').append(extra).append("/>\n");
  }

  void rect(double x, double y, double w, double h, String fill, String tooltip) {
    element("rect", "x", x, "y", y, "width", w, "height", h);
    out.append(" fill=\"").append(fill).append('"');
    tooltip(tooltip, "rect");
  }

  void circle(double x, double y, double r, String fill, String tooltip) {
    element("circle", "cx", x, "cy", y, "r", r);
    out.append(" fill=\"").append(fill).append('"');
    tooltip(tooltip, "circle");
  }

  /** Opens {@code <name} with numeric attributes given as name, value pairs. */
  private void element(String name, Object... attributes) {
    out.append('<').append(name);
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ')
          .append(attributes[i])
          .append("=\"")
          .append(Numbers.coordinate((Double) attributes[i + 1]))
          .append('"');
    }
  }

  /** A polyline through {@code points} (x0, y0, x1, y1, ...). */
  void polyline(double[] points, String stroke, String extra, String tooltip) {
    out.append("<polyline fill=\"none\" stroke=\"")
        .append(stroke)
        .append('"')
        .append(extra)
        .append(" points=\"");
    for (int i = 0; i < points.length; i += 2) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(Numbers.coordinate(points[i]))
          .append(',')
          .append(Numbers.coordinate(points[i + 1]));
    }
    out.append('"');
    tooltip(tooltip, "polyline");
  }

  private void tooltip(String tooltip, String element) {
    if (tooltip.isEmpty()) {
      out.append("/>\n");
    } else {
      out.append("><title>")
          .append(Html.escape(tooltip))
          .append("</title></")
          .append(element)
          .append(">\n");
    }
  }

  /** A legend entry: a colour swatch and a name. */
  void legendEntry(double x, double y, String colour, String name) {
    rect(x, y - 10, 12, 12, colour, "");
    text(x + 18, y, "start", name);
  }

  /** The width a text of this length takes at the chart font, roughly. */
  static int textWidth(String text) {
    return (int) Math.ceil(text.length() * FONT * 0.6);
  }
}
