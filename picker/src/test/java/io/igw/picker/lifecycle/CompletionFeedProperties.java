package io.igw.picker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.testing.ScaledTries;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.MetricsText;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated datagrams over real UDP to a running picker's completion feed: valid lines with random
 * fields and values (escaped keys, numbers, nulls, long lines), repeated keys, nested values,
 * truncated lines, several lines in one datagram, lines over the length limit, invalid UTF-8, and
 * text that is no JSON object. Every line is received, every rejected one is counted under its
 * reason, and of the real picks kept in flight only those whose exact request id an accepted line
 * carries are ended. Tries: {@code igw.propertyTries / 4} (several scrapes of /metrics each).
 */
class CompletionFeedProperties {
  private static final int VICTIMS = 3;
  private static final String REQUEST_ID = "request_id";
  private static final List<String> FIELDS =
      List.of(REQUEST_ID, "endpoint", "status", "request_time", "upstream_header_time");
  private static final List<String> PREFIXES =
      List.of("", "<190>Nov 28 06:49:22 igw: ", "<14>Jan  1 00:00:00 gw-1 nginx: ");

  private static Vertx vertx;
  private static PickerServer picker;
  private static PickClient client;
  private static long baseline;

  /** Victims in flight now: requests the picker picked and no accepted line has ended. */
  private static final List<String> victims = new ArrayList<>();

  private static final Set<String> open = new LinkedHashSet<>();

  enum Outcome {
    ACCEPTED,
    MALFORMED,
    DUPLICATE_KEY,
    NO_REQUEST_ID
  }

  /**
   * One datagram and what the feed must make of it; {@code requestId}: the decoded id of an
   * accepted line.
   */
  record Datagram(byte[] bytes, Outcome outcome, String requestId, String shown) {
    @Override
    public String toString() {
      return outcome + " " + shown;
    }
  }

  /** A JSON value as written in the line, and its text as the feed reads it (null: absent). */
  record Value(String json, String text) {}

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    StubModelServer stub =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("m"));
    String yaml = Manifests.pool("p", stub.port()) + Manifests.pod("p-0", "p", "127.0.0.1", true);
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCompletionFeed(new CompletionFeedOptions().setPort(0))));
    client = new PickClient(vertx, picker.port());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                        .pick(
                            "default/p",
                            "{\"model\":\"m\"}",
                            MultiMap.caseInsensitiveMultiMap().add("x-igw-request-id", "probe"))
                        .status()
                    == 200);
    send(List.of(("{\"request_id\":\"probe\"}").getBytes(StandardCharsets.UTF_8)));
    await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
    baseline = inFlight();
    for (int i = 0; i < VICTIMS; i++) {
      victims.add("victim-" + i + "-" + UUID.randomUUID());
    }
  }

  @AfterContainer
  static void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  @Property
  @ScaledTries(divisor = 4)
  void rejectedLinesAreCountedAndOnlyAnExactIdEndsARequest(
      @ForAll("datagrams") List<Datagram> datagrams) {
    for (String victim : victims) {
      if (open.add(victim)) {
        PickClient.Answer answer =
            client.pick(
                "default/p",
                "{\"model\":\"m\"}",
                MultiMap.caseInsensitiveMultiMap().add("x-igw-request-id", victim));
        assertThat(answer.status()).isEqualTo(200);
      }
    }
    assertThat(inFlight()).isEqualTo(baseline + VICTIMS);
    String before = metrics();
    double received = MetricsText.sum(before, "igw_completion_feed_lines_total", Map.of());
    Map<Outcome, Double> rejectedBefore = rejected(before);

    datagrams.forEach(d -> Statistics.label("outcome").collect(d.outcome()));
    // one event loop handles the datagrams in order: once the last one (a line without id) is
    // counted, all are done
    List<byte[]> batch = new ArrayList<>(datagrams.stream().map(Datagram::bytes).toList());
    batch.add("{}".getBytes(StandardCharsets.UTF_8));
    long noId = datagrams.stream().filter(d -> d.outcome() == Outcome.NO_REQUEST_ID).count() + 1;
    send(batch);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              String text = metrics();
              return MetricsText.sum(text, "igw_completion_feed_lines_total", Map.of())
                      >= received + batch.size()
                  && rejected(text).get(Outcome.NO_REQUEST_ID)
                      >= rejectedBefore.get(Outcome.NO_REQUEST_ID) + noId;
            });

    String after = metrics();
    assertThat(MetricsText.sum(after, "igw_completion_feed_lines_total", Map.of()))
        .isEqualTo(received + batch.size());
    Map<Outcome, Double> rejectedAfter = rejected(after);
    for (Outcome why : List.of(Outcome.MALFORMED, Outcome.DUPLICATE_KEY, Outcome.NO_REQUEST_ID)) {
      long expected =
          datagrams.stream().filter(d -> d.outcome() == why).count()
              + (why == Outcome.NO_REQUEST_ID ? 1 : 0);
      assertThat(rejectedAfter.get(why) - rejectedBefore.get(why))
          .as(why.name())
          .isEqualTo((double) expected);
    }
    datagrams.stream()
        .filter(d -> d.outcome() == Outcome.ACCEPTED)
        .map(Datagram::requestId)
        .forEach(open::remove);
    assertThat(inFlight()).as("victims still in flight").isEqualTo(baseline + open.size());
  }

  @Provide
  Arbitrary<List<Datagram>> datagrams() {
    Arbitrary<Datagram> one =
        Arbitraries.frequencyOf(
            Tuple.of(6, valid()),
            Tuple.of(2, duplicated()),
            Tuple.of(1, nested()),
            Tuple.of(2, truncated()),
            Tuple.of(1, twoLines()),
            Tuple.of(1, tooLong()),
            Tuple.of(2, invalidUtf8()),
            Tuple.of(2, notAnObject()));
    return one.list().ofMinSize(1).ofMaxSize(8);
  }

  // ---- the line's parts ----

  /** Any text without surrogates (a lone one would not survive UTF-8 and could merge two keys). */
  private static Arbitrary<String> text(int maxLength) {
    return Arbitraries.strings()
        .ofMaxLength(maxLength)
        .map(t -> t.replaceAll("[\\uD800-\\uDFFF]", "x"));
  }

  /** A key as the feed decodes it: one of ours, or anything. */
  private Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.of(FIELDS),
        text(12),
        Arbitraries.of(
            "Request_id", "request_id ", "x_request_id", "requestId", "request-id", "\u0000"));
  }

  /** A string value: a victim's id, one that only looks like it, or anything. */
  private Arbitrary<String> strings() {
    Arbitrary<String> victim = Arbitraries.of(victims);
    Arbitrary<String> nearMiss =
        Combinators.combine(
                victim,
                Arbitraries.of(" %s", "%s ", "%s\u0000", "x%s", "%s,%s", "\"%s\"", "%S", "%s\n"))
            .as((v, f) -> f.formatted(v, v));
    return Arbitraries.frequencyOf(
        Tuple.of(2, victim),
        Tuple.of(2, nearMiss),
        Tuple.of(3, text(30)),
        Tuple.of(1, Arbitraries.of("", "-")));
  }

  private Arbitrary<Value> values() {
    Arbitrary<Value> text =
        Combinators.combine(strings(), Arbitraries.integers().between(0, 2))
            .as(
                (s, escape) ->
                    new Value(quote(s, escape), s.isEmpty() || s.equals("-") ? null : s));
    Arbitrary<Value> number =
        Arbitraries.of("0", "-1", "200", "0.300", "1e400", "-2.5E-3", "9223372036854775808")
            .map(n -> new Value(n, n));
    Arbitrary<Value> literal =
        Arbitraries.of(
            new Value("true", "true"), new Value("false", "false"), new Value("null", null));
    return Arbitraries.frequencyOf(Tuple.of(6, text), Tuple.of(2, number), Tuple.of(1, literal));
  }

  /** Unique keys → values, in order. */
  private Arbitrary<LinkedHashMap<String, Value>> objects() {
    return Arbitraries.maps(keys(), values()).ofMaxSize(7).map(LinkedHashMap::new);
  }

  private static String line(String prefix, List<Map.Entry<String, String>> members, String space) {
    StringBuilder s = new StringBuilder(prefix).append('{').append(space);
    for (int i = 0; i < members.size(); i++) {
      s.append(i == 0 ? "" : "," + space)
          .append(members.get(i).getKey())
          .append(space)
          .append(':')
          .append(space)
          .append(members.get(i).getValue());
    }
    return s.append(space).append('}').toString();
  }

  private static List<Map.Entry<String, String>> members(Map<String, Value> object, int escape) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    object.forEach((k, v) -> out.add(Map.entry(quote(k, escape), v.json())));
    return out;
  }

  private static Outcome outcomeOf(Map<String, Value> object) {
    Value id = object.get(REQUEST_ID);
    return id == null || id.text() == null ? Outcome.NO_REQUEST_ID : Outcome.ACCEPTED;
  }

  // ---- the kinds of datagram ----

  private Arbitrary<Datagram> valid() {
    return Combinators.combine(
            Arbitraries.of(PREFIXES),
            objects(),
            Arbitraries.integers().between(0, 2),
            Arbitraries.of("", " ", "\t"))
        .as(
            (prefix, object, escape, space) -> {
              String text = line(prefix, members(object, escape), space);
              Outcome outcome = outcomeOf(object);
              String id = outcome == Outcome.ACCEPTED ? object.get(REQUEST_ID).text() : null;
              return datagram(text, outcome, id);
            });
  }

  /**
   * A valid object with one key written again (the same text, or escaped differently): nothing of
   * it counts.
   */
  private Arbitrary<Datagram> duplicated() {
    return Combinators.combine(
            Arbitraries.of(PREFIXES),
            objects().filter(o -> !o.isEmpty()),
            values(),
            Arbitraries.integers(),
            Arbitraries.integers().between(0, 2))
        .as(
            (prefix, object, value, at, escape) -> {
              List<Map.Entry<String, String>> members = members(object, 0);
              String key = new ArrayList<>(object.keySet()).get(Math.floorMod(at, object.size()));
              members.add(
                  Math.floorMod(at, members.size() + 1),
                  Map.entry(quote(key, escape), value.json()));
              return datagram(line(prefix, members, ""), Outcome.DUPLICATE_KEY, null);
            });
  }

  private Arbitrary<Datagram> nested() {
    return Combinators.combine(
            Arbitraries.of(PREFIXES),
            objects(),
            Arbitraries.of("{}", "[]", "[1]", "{\"request_id\":\"x\"}", "[\"a\",{}]"),
            Arbitraries.integers())
        .as(
            (prefix, object, value, at) -> {
              List<Map.Entry<String, String>> members = members(object, 0);
              String key = "nested-" + Integer.toHexString(at);
              members.add(Math.floorMod(at, members.size() + 1), Map.entry(quote(key, 0), value));
              return datagram(line(prefix, members, ""), Outcome.MALFORMED, null);
            });
  }

  private Arbitrary<Datagram> truncated() {
    return Combinators.combine(valid(), Arbitraries.doubles().between(0, 1))
        .as(
            (whole, cut) -> {
              byte[] bytes = whole.bytes();
              return new Datagram(
                  java.util.Arrays.copyOf(bytes, (int) (cut * (bytes.length - 1))),
                  Outcome.MALFORMED,
                  null,
                  "truncated " + whole.shown());
            });
  }

  private Arbitrary<Datagram> twoLines() {
    return Combinators.combine(valid(), valid(), Arbitraries.of("\n", "\r\n", " ", ""))
        .as((a, b, sep) -> datagram(a.shown() + sep + b.shown(), Outcome.MALFORMED, null));
  }

  /** Long lines: up to the limit they count, over it they are rejected whatever they hold. */
  private Arbitrary<Datagram> tooLong() {
    return Combinators.combine(
            Arbitraries.integers().between(1_000, 20_000), Arbitraries.of(victims))
        .as(
            (length, victim) -> {
              String head = "{\"request_id\":\"" + victim + "\",\"pad\":\"";
              String text = head + "x".repeat(Math.max(0, length - head.length() - 2)) + "\"}";
              boolean over = text.length() > AccessLogLineParser.MAX_LINE_LENGTH;
              return datagram(
                  text, over ? Outcome.MALFORMED : Outcome.ACCEPTED, over ? null : victim);
            });
  }

  /**
   * Bytes that are no UTF-8: inside a string value they are one more odd character, anywhere else
   * malformed.
   */
  private Arbitrary<Datagram> invalidUtf8() {
    Arbitrary<byte[]> junk =
        Arbitraries.of(
            new byte[] {(byte) 0xff},
            new byte[] {(byte) 0xc3, 0x28},
            new byte[] {(byte) 0xc0, (byte) 0x80},
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
    return Combinators.combine(
            objects(), junk, Arbitraries.of(victims), Arbitraries.integers().between(0, 3))
        .as(
            (object, bad, victim, where) -> {
              object.remove("odd");
              object.put(REQUEST_ID, new Value(quote(victim, 0), victim));
              String before = "{\"odd\":\"a";
              String after =
                  "b\","
                      + String.join(
                          ",",
                          members(object, 0).stream()
                              .map(e -> e.getKey() + ":" + e.getValue())
                              .toList())
                      + "}";
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              Outcome outcome = Outcome.ACCEPTED;
              switch (where) {
                case 0 -> { // inside a string: accepted
                  out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
                  out.writeBytes(bad);
                  out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
                }
                case 1 -> { // before the object
                  out.writeBytes(bad);
                  out.writeBytes((before + after).getBytes(StandardCharsets.UTF_8));
                  outcome = Outcome.MALFORMED;
                }
                case 2 -> { // between a key and its colon
                  out.writeBytes("{\"odd\"".getBytes(StandardCharsets.UTF_8));
                  out.writeBytes(bad);
                  out.writeBytes(
                      (":\"ab\"," + after.substring(3)).getBytes(StandardCharsets.UTF_8));
                  outcome = Outcome.MALFORMED;
                }
                default -> { // after the object
                  out.writeBytes((before + after).getBytes(StandardCharsets.UTF_8));
                  out.writeBytes(bad);
                  outcome = Outcome.MALFORMED;
                }
              }
              byte[] bytes = out.toByteArray();
              return new Datagram(
                  bytes,
                  outcome,
                  outcome == Outcome.ACCEPTED ? victim : null,
                  new String(bytes, StandardCharsets.ISO_8859_1));
            });
  }

  /** Text with no '{' cannot hold an object, with or without a syslog prefix. */
  private Arbitrary<Datagram> notAnObject() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            text(80),
            Arbitraries.strings().withChars("<>:\" 0123abc,[]\\-\n\t").ofMaxLength(40),
            Arbitraries.of(
                "", " ", "null", "[]", "\"request_id\"", "request_id=x", "<190>", "<190>igw: "));
    return Combinators.combine(Arbitraries.of(PREFIXES), text.map(t -> t.replace("{", "")))
        .as((prefix, t) -> datagram(prefix + t, Outcome.MALFORMED, null));
  }

  private static Datagram datagram(String text, Outcome outcome, String requestId) {
    return new Datagram(text.getBytes(StandardCharsets.UTF_8), outcome, requestId, text);
  }

  /**
   * A JSON string literal: escape 0 writes only the escapes JSON needs, 1 writes every letter as a
   * backslash-u escape, 2 every character.
   */
  static String quote(String s, int escape) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (escape == 2 || (escape == 1 && Character.isLetter(c)) || c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  // ---- the picker as the test sees it ----

  private static void send(List<byte[]> datagrams) {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      for (byte[] data : datagrams) {
        socket.send(
            new DatagramPacket(
                data, data.length, InetAddress.getLoopbackAddress(), picker.completionFeedPort()));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String metrics() {
    return client
        .send(HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
        .body()
        .toString();
  }

  private static Map<Outcome, Double> rejected(String metrics) {
    Map<Outcome, Double> out = new EnumMap<>(Outcome.class);
    for (Outcome why : List.of(Outcome.MALFORMED, Outcome.DUPLICATE_KEY, Outcome.NO_REQUEST_ID)) {
      out.put(
          why,
          MetricsText.sum(
              metrics,
              "igw_completion_feed_rejected_lines_total",
              Map.of("reason", why.name().toLowerCase(java.util.Locale.ROOT))));
    }
    return out;
  }

  private static long inFlight() {
    JsonObject pools =
        client
            .send(
                HttpMethod.GET, "/debug/pools", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toJsonObject();
    return pools.getJsonArray("pools").getJsonObject(0).getJsonArray("endpoints").stream()
        .mapToLong(e -> ((JsonObject) e).getLong("inFlight"))
        .sum();
  }
}
