package io.igw.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code ttft_p90.png} (log scale) and {@code throughput.png} against offered QPS, one line per
 * policy.
 */
public final class ChartReport {
  static final int WIDTH = 900;
  static final int HEIGHT = 560;

  private ChartReport() {}

  public static void write(BenchReport report, Path folder) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection ttft = new XYSeriesCollection();
    XYSeriesCollection throughput = new XYSeriesCollection();
    for (String policy : report.policies()) {
      XYSeries t = new XYSeries(policy, true, true);
      XYSeries o = new XYSeries(policy, true, true);
      for (int step = 0; step < report.ladder().size(); step++) {
        StepStats s = report.stat(policy, step, RequestClass.ALL);
        if (s == null) {
          continue;
        }
        if (s.ttft().p90() > 0) {
          t.add(s.offeredQps(), s.ttft().p90());
        }
        o.add(s.offeredQps(), s.outputTokensPerSecond());
      }
      ttft.addSeries(t);
      throughput.addSeries(o);
    }
    String title = report.workload() + " (" + report.mode() + ")";
    LogAxis logAxis = new LogAxis("p90 TTFT (s, log scale)");
    logAxis.setSmallestValue(1e-3);
    logAxis.setNumberFormatOverride(new DecimalFormat("0.##"));
    save(chart(title + ": p90 time to first token", ttft, logAxis), folder.resolve("ttft_p90.png"));
    save(
        chart(title + ": output throughput", throughput, new NumberAxis("output tokens/s")),
        folder.resolve("throughput.png"));
  }

  private static JFreeChart chart(
      String title, XYSeriesCollection data, org.jfree.chart.axis.ValueAxis yAxis) {
    NumberAxis xAxis = new NumberAxis("offered load (requests/s)");
    xAxis.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, xAxis, yAxis, new XYLineAndShapeRenderer(true, true));
    return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
  }

  private static void save(JFreeChart chart, Path file) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }
}
