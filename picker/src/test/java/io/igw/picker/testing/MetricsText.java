package io.igw.picker.testing;

import io.igw.picker.metrics.PrometheusTextParser;
import java.util.List;
import java.util.Map;

/** Reads the picker's own /metrics text in tests with the picker's Prometheus parser. */
public final class MetricsText {
  private MetricsText() {}

  /**
   * Sum of the samples named {@code name} whose labels include every entry of {@code labels}; 0
   * when none.
   */
  public static double sum(String text, String name, Map<String, String> labels) {
    double[] sum = {0};
    new PrometheusTextParser(List.of(name))
        .parse(
            text,
            (sample, sampleLabels, value) -> {
              if (sample.equals(name) && sampleLabels.entrySet().containsAll(labels.entrySet())) {
                sum[0] += value;
              }
            });
    return sum[0];
  }

  /**
   * The value of the one sample named {@code name} with exactly {@code labels}; fails when there is
   * none.
   */
  public static double value(String text, String name, Map<String, String> labels) {
    Double[] found = {null};
    new PrometheusTextParser(List.of(name))
        .parse(
            text,
            (sample, sampleLabels, value) -> {
              if (sample.equals(name) && sampleLabels.equals(labels)) {
                found[0] = value;
              }
            });
    if (found[0] == null) {
      throw new AssertionError(name + labels + " not in\n" + text);
    }
    return found[0];
  }
}
