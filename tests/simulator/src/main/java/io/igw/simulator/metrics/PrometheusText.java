package io.igw.simulator.metrics;

import io.igw.simulator.engine.BucketHistogram;
import java.util.Map;

/** Writes the Prometheus text exposition format (version 0.0.4). */
public final class PrometheusText {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder text = new StringBuilder(4096);

  public PrometheusText family(String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  public PrometheusText sample(String name, Map<String, String> labels, double value) {
    text.append(name);
    appendLabels(labels, null, null);
    text.append(' ').append(format(value)).append('\n');
    return this;
  }

  public PrometheusText gauge(String name, String help, Map<String, String> labels, double value) {
    return family(name, "gauge", help).sample(name, labels, value);
  }

  public PrometheusText counter(
      String name, String help, Map<String, String> labels, double value) {
    return family(name, "counter", help).sample(name + "_total", labels, value);
  }

  public PrometheusText histogram(
      String name, String help, Map<String, String> labels, BucketHistogram histogram) {
    family(name, "histogram", help);
    double[] bounds = histogram.upperBounds();
    for (int i = 0; i < bounds.length; i++) {
      text.append(name).append("_bucket");
      appendLabels(labels, "le", format(bounds[i]));
      text.append(' ').append(format(histogram.cumulativeCount(i))).append('\n');
    }
    text.append(name).append("_bucket");
    appendLabels(labels, "le", "+Inf");
    text.append(' ').append(format(histogram.count())).append('\n');
    sample(name + "_sum", labels, histogram.sum());
    return sample(name + "_count", labels, histogram.count());
  }

  @Override
  public String toString() {
    return text.toString();
  }

  private void appendLabels(Map<String, String> labels, String extraName, String extraValue) {
    if (labels.isEmpty() && extraName == null) {
      return;
    }
    text.append('{');
    boolean first = true;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      first = appendLabel(first, label.getKey(), label.getValue());
    }
    if (extraName != null) {
      appendLabel(first, extraName, extraValue);
    }
    text.append('}');
  }

  private boolean appendLabel(boolean first, String name, String value) {
    if (!first) {
      text.append(',');
    }
    text.append(name).append("=\"").append(escape(value)).append('"');
    return false;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String format(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value) + ".0";
    }
    return Double.toString(value);
  }
}
