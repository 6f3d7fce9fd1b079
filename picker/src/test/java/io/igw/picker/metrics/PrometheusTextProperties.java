package io.igw.picker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.MetricsSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated scrapes: whatever a model server (or something posing as one) sends, the parser keeps
 * exactly the well-formed samples of the wanted names, counts the malformed lines, and the mapper's
 * snapshot stays in range. Tries per property: {@code jqwik.tries.default}, set by the build from
 * {@code -Digw.propertyTries}.
 */
class PrometheusTextProperties {
  static final List<String> WANTED =
      List.of(
          "vllm:num_requests_waiting",
          "vllm:num_requests_running",
          "vllm:kv_cache_usage_perc",
          "vllm:lora_requests_info",
          "vllm:cache_config_info");

  record Sample(String name, Map<String, String> labels, double value, String timestamp) {
    String line() {
      StringBuilder s = new StringBuilder(name);
      if (!labels.isEmpty()) {
        s.append('{');
        labels.forEach(
            (k, v) ->
                s.append(k)
                    .append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append("\","));
        s.setLength(s.length() - 1);
        s.append('}');
      }
      s.append(' ').append(format(value));
      if (timestamp != null) {
        s.append(' ').append(timestamp);
      }
      return s.toString();
    }

    static String format(double v) {
      return Double.isNaN(v)
          ? "NaN"
          : v == Double.POSITIVE_INFINITY
              ? "+Inf"
              : v == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(v);
    }
  }

  /**
   * A line of one of four kinds: a wanted sample, an unwanted one, a comment, or one that cannot
   * parse.
   */
  record Line(String text, Sample wanted, boolean malformed) {}

  @Provide
  Arbitrary<Sample> samples() {
    Arbitrary<String> labelNames =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('_', 'A', 'Z', '0')
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(n -> !Character.isDigit(n.charAt(0)));
    Arbitrary<String> labelValues =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.strings()
                .withChars('"', '\\', '\n', '{', '}', ',', '=', ' ', 'a')
                .ofMaxLength(20));
    Arbitrary<Map<String, String>> labels =
        Arbitraries.maps(labelNames, labelValues).ofMaxSize(6).map(LinkedHashMap::new);
    Arbitrary<Double> values =
        Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.of(
                0.0,
                -0.0,
                1e300,
                -1e-300,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE));
    Arbitrary<String> timestamps =
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf).injectNull(0.7);
    return Combinators.combine(Arbitraries.of(WANTED), labels, values, timestamps).as(Sample::new);
  }

  @Provide
  Arbitrary<List<Line>> scrapes() {
    Arbitrary<Line> wanted = samples().map(s -> new Line(s.line(), s, false));
    Arbitrary<Line> unwanted = samples().map(s -> new Line("other_" + s.line(), null, false));
    Arbitrary<Line> comments =
        Arbitraries.strings()
            .excludeChars('\n', '\r')
            .ofMaxLength(60)
            .map(t -> new Line("# " + t, null, false));
    // no metric name starts with these, so the line is malformed whatever follows
    Arbitrary<Line> garbage =
        Combinators.combine(
                Arbitraries.of('{', '=', '"', '}', '0', '9', '-', '@', '\u00e9'),
                Arbitraries.strings().excludeChars('\n', '\r').ofMaxLength(80))
            .as((c, t) -> new Line(c + t, null, true));
    return Arbitraries.frequencyOf(
            Tuple.of(4, wanted), Tuple.of(2, unwanted), Tuple.of(1, comments), Tuple.of(2, garbage))
        .list()
        .ofMaxSize(40);
  }

  @Property
  void keepsExactlyTheWellFormedWantedSamples(
      @ForAll("scrapes") List<Line> lines, @ForAll boolean crlf) {
    String text = String.join(crlf ? "\r\n" : "\n", lines.stream().map(Line::text).toList());
    List<Sample> parsed = new ArrayList<>();
    var stats =
        new PrometheusTextParser(WANTED)
            .parse(
                text, (name, labels, value) -> parsed.add(new Sample(name, labels, value, null)));
    List<Line> expected = lines.stream().filter(l -> l.wanted() != null).toList();
    assertThat(parsed).hasSize(expected.size());
    for (int i = 0; i < parsed.size(); i++) {
      Sample want = expected.get(i).wanted();
      assertThat(parsed.get(i).name()).isEqualTo(want.name());
      assertThat(parsed.get(i).labels()).isEqualTo(want.labels());
      assertThat(Double.compare(parsed.get(i).value(), want.value())).as(want.line()).isZero();
    }
    assertThat(stats.badLines()).isEqualTo(lines.stream().filter(Line::malformed).count());
  }

  @Property
  void anyTextMapsToASnapshotInRange(@ForAll("anyText") String text) {
    MetricsSnapshot s = new EngineMetricsMapper(EngineMetricNames.VLLM).map(text, 7);
    assertThat(s.waiting()).isNotNegative();
    assertThat(s.running()).isNotNegative();
    assertThat(s.kvCacheUsage()).isBetween(0.0, 1.0);
    assertThat(s.blockSizeTokens()).isNotNegative();
    assertThat(s.numCacheBlocks()).isNotNegative();
    assertThat(s.maxLoraSlots()).isNotNegative();
    assertThat(s.scrapedAtMillis()).isEqualTo(7);
  }

  @Provide
  Arbitrary<String> anyText() {
    Arbitrary<String> sampleish = samples().map(Sample::line);
    Arbitrary<String> negative =
        Combinators.combine(
                Arbitraries.of(WANTED),
                Arbitraries.of("-1", "-1e308", "-Inf", "1e400", "2", "-0.5", "9223372036854775808"))
            .as((n, v) -> n + " " + v);
    Arbitrary<String> cacheInfo =
        Arbitraries.strings()
            .ofMaxLength(24)
            .map(
                v ->
                    "vllm:cache_config_info{block_size=\""
                        + v
                        + "\",num_gpu_blocks=\"-"
                        + v
                        + "\"} 1");
    Arbitrary<String> lora =
        Arbitraries.strings()
            .ofMaxLength(30)
            .map(
                v ->
                    "vllm:lora_requests_info{max_lora=\""
                        + v
                        + "\",running_lora_adapters=\""
                        + v
                        + "\"} 1");
    Arbitrary<String> line =
        Arbitraries.oneOf(
            sampleish, negative, cacheInfo, lora, Arbitraries.strings().ofMaxLength(100));
    return line.list().ofMaxSize(30).map(l -> String.join("\n", l));
  }
}
