package io.github.gkeinference.observability.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChartsTest {
  private static final Pattern SERIES_COLOUR =
      Pattern.compile("<(?:polyline|circle)[^>]*(?:stroke|fill)=\"(#[0-9a-f]{6})\"");

  private static XyChart.Builder chart() {
    return XyChart.builder("t").x(Axis.linear("time", "s")).y(Axis.linear("load", "requests/s"));
  }

  @Test
  void axis_withoutTitleOrUnit_isRefused() {
    assertThatThrownBy(() -> Axis.linear(" ", "s")).hasMessageContaining("needs a title");
    assertThatThrownBy(() -> Axis.linear("time", "")).hasMessageContaining("needs a unit");
  }

  @Test
  void xyChart_withoutAxes_isRefused() {
    assertThatThrownBy(() -> XyChart.builder("t").x(Axis.linear("a", "s")).build())
        .hasMessageContaining("needs a y axis");
  }

  @Test
  void svg_drawsAxisTitlesWithUnits_andEscapesText() {
    String svg = chart().line("a<b", new double[] {0, 1}, new double[] {0, 2}).build().svg();

    assertThat(svg)
        .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .contains(">time (s)</text>")
        .contains(">load (requests/s)</text>")
        .contains("a&lt;b")
        .doesNotContain("a<b");
  }

  @Test
  void everySeries_getsItsOwnColour_andReferenceLinesDoNotUseOne() {
    XyChart.Builder b = chart();
    for (int i = 0; i < Chart.PALETTE.size(); i++) {
      b.line("s" + i, new double[] {0, 1}, new double[] {i, i + 1});
    }
    b.reference("limit", new double[] {0, 1}, new double[] {5, 5});
    String svg = b.build().svg();

    Matcher m = SERIES_COLOUR.matcher(svg);
    Set<String> colours = new HashSet<>();
    int series = 0;
    while (m.find()) {
      series++;
      colours.add(m.group(1));
    }
    assertThat(series).isEqualTo(Chart.PALETTE.size() + 1);
    assertThat(colours).hasSize(Chart.PALETTE.size() + 1).contains(Chart.REFERENCE);
  }

  @Test
  void moreSeriesThanColours_isRefused() {
    XyChart.Builder b = chart();
    for (int i = 0; i <= Chart.PALETTE.size(); i++) {
      b.point("p" + i, i, i);
    }
    assertThatThrownBy(b::build).hasMessageContaining("more than 10 series");
  }

  @Test
  void estimates_sayItInTheTitle() {
    XyChart c = chart().estimate(true).point("p", 1, 1).build();
    assertThat(c.title()).isEqualTo("t (estimates)");
    assertThat(c.svg()).contains("<title>t (estimates)</title>");
  }

  @Test
  void linearTicks_areRoundSteps_fromZeroPastTheLargestValue() {
    // 37 / 5 = 7.4 rounds up to the step 10, so ticks 0..40 and 37 sits below the top.
    Axis.Scale s = Axis.linear("a", "u").scale(3, 37);
    assertThat(s.ticks()).extracting(Axis.Tick::label).containsExactly("0", "10", "20", "30", "40");
    assertThat(s.fraction(40)).isEqualTo(1.0);
    assertThat(s.fraction(0)).isEqualTo(0.0);
  }

  @Test
  void logTicks_arePowersOfTheBase_andNonPositiveValuesAreRefused() {
    Axis log = Axis.log("latency", "ms", 10);
    assertThat(log.scale(3, 2500).ticks())
        .extracting(Axis.Tick::label)
        .containsExactly("1", "10", "100", "1,000", "10k");
    assertThatThrownBy(() -> log.scale(0, 10)).hasMessageContaining("logarithmic");
  }

  @Test
  void point_atTheAxisMaximum_isDrawnAtThePlotsRightEdge() {
    // The plot starts at the left margin, 84, and is 600 wide by default.
    String svg = chart().point("p", 40, 0).point("q", 0, 0).build().svg();
    assertThat(svg).contains("<circle cx=\"684.0\"").contains("<circle cx=\"84.0\"");
  }

  @Test
  void barChart_stacksSegmentsOnOneScale_andDrawsTheMarker() {
    // Values 10 + 30 on an axis 0..40 (step 10): 560 units of bar area split 140 + 420.
    String svg =
        BarChart.builder("Memory")
            .axis(Axis.linear("memory", "GB"))
            .segments(List.of("weights", "cache"))
            .marker("device")
            .bar("gpu", 40, new double[] {10, 30})
            .build()
            .svg();
    assertThat(svg)
        .contains("width=\"140.0\" height=\"18.0\" fill=\"" + Chart.PALETTE.get(0))
        .contains("width=\"420.0\" height=\"18.0\" fill=\"" + Chart.PALETTE.get(1))
        .contains(">memory (GB)</text>")
        .contains(">device</text>");
  }

  @Test
  void barChart_legendWiderThanTheChart_wrapsToASecondLineAndGrowsTheChart() {
    // 7 entries of 20 characters: (20 x 7.2 + 34) = 178 px each, 3 fit the 600 px next to the
    // bar labels, so the legend takes 3 lines and the chart grows by 2 legend lines (36 px)
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      names.add("segment number " + i + "....");
    }
    BarChart.Builder few =
        BarChart.builder("m").axis(Axis.linear("m", "GB")).segments(List.of("a", "b"));
    BarChart.Builder many = BarChart.builder("m").axis(Axis.linear("m", "GB")).segments(names);
    int shortHeight = few.bar("gpu", 1, 2).build().height();
    BarChart wide = many.bar("gpu", 1, 1, 1, 1, 1, 1, 1).build();
    assertThat(wide.height()).isEqualTo(shortHeight + 36);
    // every legend entry starts inside the chart: the last line starts again at the left
    Matcher m = Pattern.compile("<text x=\"([0-9.]+)\"[^>]*>segment number").matcher(wide.svg());
    int entries = 0;
    while (m.find()) {
      entries++;
      assertThat(Double.parseDouble(m.group(1)) + 144).isLessThanOrEqualTo(wide.width());
    }
    assertThat(entries).isEqualTo(7);
  }

  @Test
  void barWithWrongNumberOfValues_isRefused() {
    BarChart.Builder b =
        BarChart.builder("m").axis(Axis.linear("m", "GB")).segments(List.of("a", "b"));
    assertThatThrownBy(() -> b.bar("x", 1)).hasMessageContaining("1 values for 2 segments");
  }

  @Test
  void stack_putsPanelsBelowEachOther_inOneSvg() {
    Chart one = chart().line("a", new double[] {0, 1}, new double[] {0, 1}).build();
    String svg = Chart.stack("both", List.of(one, one)).svg();
    assertThat(svg.split("<svg", -1)).hasSize(2);
    assertThat(svg).contains("translate(0 28)").contains("translate(0 " + (28 + 388) + ")");
  }

  private static String page() {
    return HtmlPage.titled("Plan <x>")
        .heading("A & B")
        .paragraph("<script>alert(1)</script>")
        .estimateNote("model output")
        .table(HtmlPage.Table.of("Name", "Value").row("a", "1"))
        .chart(chart().point("p", 1, 1).build())
        .html();
  }

  @Test
  void page_escapesText_hasNoScriptsOrExternalFiles_andIsDeterministic() {
    String html = page();

    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<title>Plan &lt;x&gt;</title>")
        .contains("<h2>A &amp; B</h2>")
        .contains("&lt;script&gt;")
        .contains("<strong>Estimates.</strong> model output")
        .doesNotContain("<script")
        .doesNotContain("<link");
    assertThat(page()).isEqualTo(html);
  }

  @Test
  void tableRow_withWrongNumberOfCells_isRefused() {
    assertThatThrownBy(() -> HtmlPage.Table.of("a", "b").row("1"))
        .hasMessageContaining("1 cells for 2 columns");
  }

  @Test
  void compactNumbers() {
    assertThat(Numbers.compact(1234)).isEqualTo("1,234");
    assertThat(Numbers.compact(12_345)).isEqualTo("12.3k");
    assertThat(Numbers.compact(2_500_000)).isEqualTo("2.5M");
    assertThat(Numbers.compact(12.34)).isEqualTo("12.3");
    assertThat(Numbers.compact(0.5)).isEqualTo("0.5");
    assertThat(Numbers.compact(7)).isEqualTo("7");
  }
}
