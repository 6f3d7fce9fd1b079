package io.igw.picker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextParserTest {
  record Sample(String name, Map<String, String> labels, double value) {}

  private final PrometheusTextParser parser = new PrometheusTextParser(Set.of("m", "vllm:x"), 256);

  private List<Sample> parse(String text, int expectedBad) {
    List<Sample> out = new ArrayList<>();
    PrometheusTextParser.ParseStats stats =
        parser.parse(text, (n, l, v) -> out.add(new Sample(n, l, v)));
    assertThat(stats.badLines()).as("bad lines").isEqualTo(expectedBad);
    return out;
  }

  @Test
  void readsWantedSamplesWithLabelsAndSkipsTheRest() {
    String text =
        """
        # HELP m help text
        # TYPE m gauge
        m 1
        m{a="x",b="y z"} 2.5 1700000000000
        vllm:x{model_name="llama"} 3e2
        other_metric{a="b"} 7
        m{} -1.5e-3
          m\t4
        """;
    assertThat(parse(text, 0))
        .containsExactly(
            new Sample("m", Map.of(), 1),
            new Sample("m", Map.of("a", "x", "b", "y z"), 2.5),
            new Sample("vllm:x", Map.of("model_name", "llama"), 300),
            new Sample("m", Map.of(), -0.0015),
            new Sample("m", Map.of(), 4));
  }

  @Test
  void readsEscapesSpecialValuesAndCrlf() {
    List<Sample> samples =
        parse("m{a=\"q\\\"uote\\\\back\\nline\"} +Inf\r\nm -Inf\r\nm NaN\r\nm{a=\"1\",} 2\r\n", 0);
    assertThat(samples).hasSize(4);
    assertThat(samples.get(0).labels()).containsEntry("a", "q\"uote\\back\nline");
    assertThat(samples.get(0).value()).isInfinite();
    assertThat(samples.get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(samples.get(2).value()).isNaN();
    assertThat(samples.get(3).labels()).containsEntry("a", "1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "m",
        "m ",
        "m abc",
        "m 1 2 3",
        "m 1.0d",
        "m 0x10",
        "m{a=\"x\" 1",
        "m{a=x} 1",
        "m{=\"x\"} 1",
        "m{a=\"x\"}1",
        "m{a=\"unterminated} 1",
        "m{a \"x\"} 1",
        "m Infinity",
        "{a=\"b\"} 1",
        "9m 1",
        "m{a=\"x\"}} 1",
        "m 1 12a",
        "m{a=\"x\\"
      })
  void skipsAndCountsMalformedLines(String line) {
    assertThat(parse(line + "\nm 5\n", 1)).containsExactly(new Sample("m", Map.of(), 5));
  }

  @Test
  void skipsOverlongLinesAndTooManyLabels() {
    StringBuilder labels = new StringBuilder("m{");
    for (int i = 0; i < PrometheusTextParser.MAX_LABELS + 1; i++) {
      labels.append("l").append(i).append("=\"\",");
    }
    String tooMany = labels.append("} 1").toString();
    PrometheusTextParser wide = new PrometheusTextParser(Set.of("m"), 100_000);
    int[] seen = new int[1];
    var stats = wide.parse(tooMany + "\nm 1\n", (n, l, v) -> seen[0]++);
    assertThat(stats.badLines()).isEqualTo(1);
    assertThat(seen[0]).isEqualTo(1);

    assertThat(parse("m{a=\"" + "x".repeat(1000) + "\"} 1\nm 2", 1)).hasSize(1);
  }

  @Test
  void survivesHostileInput() {
    StringBuilder junk = new StringBuilder();
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 20_000; i++) {
      junk.append((char) random.nextInt(0x3000));
      if (i % 97 == 0) {
        junk.append("\nm{a=\"");
      }
    }
    junk.append("\nm 9\n");
    List<Sample> samples = new ArrayList<>();
    var stats = parser.parse(junk.toString(), (n, l, v) -> samples.add(new Sample(n, l, v)));
    assertThat(samples).contains(new Sample("m", Map.of(), 9));
    assertThat(stats.badLines()).isGreaterThan(100);
    assertThat(parser.parse("", (n, l, v) -> {}).lines()).isZero();
    assertThat(parser.parse("\n\n\n", (n, l, v) -> {}).badLines()).isZero();
  }
}
