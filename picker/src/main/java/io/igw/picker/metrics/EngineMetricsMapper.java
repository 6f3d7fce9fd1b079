package io.igw.picker.metrics;

import io.igw.picker.datastore.MetricsSnapshot;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns one scrape's text into a {@link MetricsSnapshot} with one engine's names. Series of the
 * same gauge (one per model) are summed for queue sizes; the KV-cache use is the largest series of
 * the most preferred name present; of {@code lora_requests_info} the series with the largest value
 * (a timestamp) is current. Thread-safe: each call keeps its state on the stack.
 */
public final class EngineMetricsMapper {
  private final EngineMetricNames names;
  private final PrometheusTextParser parser;

  public EngineMetricsMapper(EngineMetricNames names) {
    this.names = names;
    this.parser = new PrometheusTextParser(names.wantedNames());
  }

  public EngineMetricNames names() {
    return names;
  }

  public MetricsSnapshot map(String text, long atMillis) {
    Accumulator acc = new Accumulator(names);
    PrometheusTextParser.ParseStats stats = parser.parse(text, acc);
    return acc.snapshot(atMillis, stats.badLines());
  }

  private static final class Accumulator implements PrometheusTextParser.SampleSink {
    private final EngineMetricNames names;
    private double waiting;
    private double running;
    private final double[] kvByPreference;
    private double loraTimestamp = Double.NEGATIVE_INFINITY;
    private Map<String, String> loraLabels;
    private int blockSize;
    private long numBlocks;

    Accumulator(EngineMetricNames names) {
      this.names = names;
      this.kvByPreference = new double[names.kvUsage().size()];
      Arrays.fill(kvByPreference, Double.NaN);
    }

    @Override
    public void accept(String name, Map<String, String> labels, double value) {
      if (!Double.isFinite(value)) {
        return;
      }
      if (name.equals(names.waiting())) {
        waiting += value;
      } else if (name.equals(names.running())) {
        running += value;
      } else if (name.equals(names.loraInfo())) {
        if (value >= loraTimestamp) {
          loraTimestamp = value;
          loraLabels = labels;
        }
      } else if (name.equals(names.cacheConfigInfo())) {
        blockSize =
            (int) Math.min(Integer.MAX_VALUE, parseLong(labels.get(names.blockSizeLabel())));
        numBlocks = parseLong(labels.get(names.numBlocksLabel()));
      } else if (name.equals(names.blockSizeGauge())) {
        blockSize = (int) Math.max(0, Math.min(Integer.MAX_VALUE, value));
      } else if (name.equals(names.numBlocksGauge())) {
        numBlocks = (long) Math.max(0, value);
      } else {
        int i = names.kvUsage().indexOf(name);
        if (i >= 0) {
          kvByPreference[i] =
              Double.isNaN(kvByPreference[i]) ? value : Math.max(kvByPreference[i], value);
        }
      }
    }

    MetricsSnapshot snapshot(long atMillis, int badLines) {
      double kv = 0;
      for (double candidate : kvByPreference) {
        if (!Double.isNaN(candidate)) {
          kv = candidate;
          break;
        }
      }
      Set<String> runningAdapters = Set.of();
      Set<String> waitingAdapters = Set.of();
      int maxLora = 0;
      if (loraLabels != null) {
        runningAdapters = splitNames(loraLabels.get(EngineMetricNames.LORA_RUNNING_LABEL));
        waitingAdapters = splitNames(loraLabels.get(EngineMetricNames.LORA_WAITING_LABEL));
        maxLora =
            (int)
                Math.min(
                    Integer.MAX_VALUE, parseLong(loraLabels.get(EngineMetricNames.LORA_MAX_LABEL)));
      }
      return new MetricsSnapshot(
          Math.max(0, Math.round(waiting)),
          Math.max(0, Math.round(running)),
          Math.max(0, Math.min(1, kv)),
          runningAdapters,
          waitingAdapters,
          maxLora,
          blockSize,
          numBlocks,
          atMillis,
          badLines);
    }
  }

  static Set<String> splitNames(String csv) {
    if (csv == null || csv.isBlank()) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String part : csv.split(",", 1024)) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        out.add(trimmed);
      }
    }
    return out;
  }

  static long parseLong(String text) {
    if (text == null) {
      return 0;
    }
    try {
      return Math.max(0, (long) Double.parseDouble(text.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
