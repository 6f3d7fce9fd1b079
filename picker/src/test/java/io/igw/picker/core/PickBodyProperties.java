package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated bodies, from plain OpenAI requests to hostile ones (keys twice, unusual numbers,
 * escapes and lone surrogates, deep nesting, cut or padded text): the one-pass scan reads each
 * exactly as the tree path did, for every API path: same model and prompt bytes, or the same
 * failure.
 */
class PickBodyProperties {
  private static final List<String> KEYS =
      List.of(
          "model",
          "messages",
          "prompt",
          "input",
          "instructions",
          "role",
          "content",
          "type",
          "text",
          "stream",
          "stream_options",
          "include_usage",
          "x");
  private static final List<String> NUMBERS =
      List.of("0", "-0", "7", "-12", "2147483648", "99999999999999999999999", "1.5", "2e3", "-0.0");
  private static final List<String> STRINGS =
      List.of(
          "\"\"",
          "\"m\"",
          "\"user\"",
          "\"text\"",
          "\"h\\u00e9\"",
          "\"\\ud83d\\ude00\"",
          "\"\\ud800\"",
          "\"\\n\\t\\\"\\\\\\/\"",
          "\"\\u0000\\u001f\"",
          "\"日本\"",
          "\"\u2028\"",
          "\"\\u001F \\u0007 \\uD83D\\uDE00 \\uDFFF\"",
          "\"\\u001f \\u00E9 \\u000A \\u0041\"",
          "\"\uD83D\uDE00 éß€\"",
          "\"x\\\"y\\\\z\\b\\f\\r\"");

  @Property
  void theScanReadsEveryBodyAsTheTreePathDid(@ForAll("bodies") String body) {
    boolean scanned = JsonBodyScanner.scan(io.vertx.core.buffer.Buffer.buffer(body)) != null;
    Statistics.collect(scanned ? "scanned" : "tree path");
    // both ways are exercised: a generator that only made bodies for one would prove nothing
    Statistics.coverage(
        coverage -> {
          coverage.check("scanned").percentage(p -> p > 15);
          coverage.check("tree path").percentage(p -> p > 15);
        });
    for (String path : JsonBodyScannerTest.PATHS) {
      TreePathReading before = TreePathReading.of(body, path);
      TreePathReading now = TreePathReading.scanned(body, path);
      assertThat(now.sameAs(before)).as(path + " " + body + ": " + now + " vs " + before).isTrue();
    }
    PickBody checked = PickBody.of(io.vertx.core.buffer.Buffer.buffer(body));
    try {
      io.vertx.core.json.JsonObject tree = io.vertx.core.buffer.Buffer.buffer(body).toJsonObject();
      assertThat(checked.streamWithoutUsage())
          .as("stream usage of " + body)
          .isEqualTo(UsageRequest.streamWithoutUsage(tree));
    } catch (RuntimeException notAnObject) {
      // the tree path refuses it too: no usage question to answer
    }
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> object = object(4);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, object),
        net.jqwik.api.Tuple.of(
            2,
            Arbitraries.oneOf(
                object.map(s -> s.substring(0, s.length() / 2)),
                object.map(s -> s + " x"),
                object.map(s -> s.replace(":", " : ")),
                object.map(s -> s.replace(",", ",,")))),
        net.jqwik.api.Tuple.of(1, value(3)));
  }

  private Arbitrary<String> object(int depth) {
    Arbitrary<String> entry =
        Combinators.combine(Arbitraries.of(KEYS), value(depth - 1))
            .as((k, v) -> "\"" + k + "\":" + v);
    return entry.list().ofMaxSize(5).map(entries -> "{" + String.join(",", entries) + "}");
  }

  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(NUMBERS),
            Arbitraries.of(STRINGS),
            Arbitraries.of("true", "false", "null"),
            Arbitraries.strings().ofMaxLength(8).map(PickBodyProperties::quoted));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<String> array =
        Arbitraries.lazy(() -> value(depth - 1))
            .list()
            .ofMaxSize(4)
            .map(items -> "[" + String.join(",", items) + "]");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalar),
        net.jqwik.api.Tuple.of(3, array),
        net.jqwik.api.Tuple.of(3, Arbitraries.lazy(() -> object(depth - 1))),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.integers().between(60, 70).map(n -> "[".repeat(n) + "]".repeat(n))));
  }

  private static String quoted(String s) {
    return new io.vertx.core.json.JsonArray().add(s).encode().replaceAll("^\\[|\\]$", "");
  }
}
