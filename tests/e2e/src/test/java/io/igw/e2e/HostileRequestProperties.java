package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.testing.ScaledTries;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated requests through real NGINX (one {@link GatewayStack} for the class, over raw sockets
 * so any byte can be sent): JSON bodies of random shape with and without a model (served, unknown,
 * of the wrong type, empty), unicode, huge numbers, deep-but-legal nesting, bodies that are no JSON
 * object (invalid UTF-8, BOM, NUL, truncated), sizes up to near and over the body limit, and random
 * request headers (hostile names and values within HTTP, x-gateway-* spoofing, content types,
 * objective and fairness headers). Each answer's status is one its input class allows, every
 * 4xx/5xx carries an OpenAI error body, no 5xx at all; afterwards a normal request is served.
 * Tries: {@code igw.propertyTries / 5}.
 */
class HostileRequestProperties {
  private static final int BODY_LIMIT = 64 * 1024;
  private static GatewayStack stack;

  /** What a request is, for the statuses it may get. */
  enum Input {
    SERVED(Set.of(200)),
    NO_MODEL(Set.of(200, 400, 404)),
    UNKNOWN_MODEL(Set.of(404)),
    BAD_MODEL(Set.of(400)),
    NOT_JSON(Set.of(400)),
    NOT_OBJECT(Set.of(400)),
    TOO_LARGE(Set.of(413));

    final Set<Integer> statuses;

    Input(Set<Integer> statuses) {
      this.statuses = statuses;
    }
  }

  record Body(Input input, byte[] bytes, String shown) {
    @Override
    public String toString() {
      return input
          + " ("
          + bytes.length
          + " bytes) "
          + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown);
    }
  }

  record Answer(int status, String head, String body) {}

  @BeforeContainer
  static void start() throws Exception {
    stack = GatewayStack.start(new GatewayStack.Options().bodyLimit(BODY_LIMIT));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                normal().statusCode() == 200
                    && Http.post(
                                stack.gatewayPort(),
                                "/v1/completions",
                                Http.completion("no-such-model", 1))
                            .statusCode()
                        == 404);
  }

  @AfterContainer
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @AfterProperty
  void aNormalRequestIsServedAndThePickerIsUp() throws Exception {
    var after = normal();
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    assertThat(Http.get("http://127.0.0.1:" + stack.pickerPort() + "/ready").statusCode())
        .isEqualTo(200);
  }

  @Property
  @ScaledTries(divisor = 5)
  void everyRequestGetsAStatusOfItsClassAndAnOpenAiErrorWhenRefused(
      @ForAll("bodies") Body body,
      @ForAll("headers") List<Map.Entry<String, String>> headers,
      @ForAll("paths") String path)
      throws Exception {
    Statistics.label("input").collect(body.input());
    Answer answer = send("POST", path, headers, body.bytes());
    Statistics.label("status").collect(answer.status());
    assertThat(answer.status()).as(answer.head() + answer.body()).isIn(expected(body, headers));
    if (answer.status() >= 400) {
      JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
      assertThat(error).as(answer.body()).isNotNull();
      assertThat(error.getString("message")).as(answer.body()).isNotEmpty();
      assertThat(error.getString("type")).as(answer.body()).isNotEmpty();
      assertThat(error.containsKey("code")).as(answer.body()).isTrue();
    }
  }

  // ---- generators ----

  @Provide
  Arbitrary<String> paths() {
    // the request URI goes to the model server as sent: a path it does not serve
    // ("/v1//completions") is its 404
    return Arbitraries.of(
        "/v1/completions",
        "/v1/completions?x=1",
        "/v1/completions?model=other&a=%00&b=\u00e9",
        "/v1/completions?" + "q".repeat(2000));
  }

  @Provide
  Arbitrary<Body> bodies() {
    Arbitrary<Object> json = jsonValues(4);
    Arbitrary<JsonObject> extras =
        Arbitraries.maps(
                Arbitraries.strings()
                    .ofMaxLength(10)
                    .filter(
                        k ->
                            !k.equals("model")
                                && !k.equals("prompt")
                                && !k.equals("stream")
                                && !k.equals("max_tokens")
                                && !k.equals("n")),
                json)
            .ofMaxSize(4)
            .map(m -> new JsonObject(new java.util.LinkedHashMap<>(m)));
    Arbitrary<String> prompts =
        Arbitraries.strings().ofMaxLength(200).map(HostileRequestProperties::noSurrogates);
    Arbitrary<Body> served =
        Combinators.combine(prompts, extras)
            .as(
                (prompt, extra) ->
                    body(
                        Input.SERVED,
                        extra
                            .copy()
                            .put("model", BASE_MODEL)
                            .put("prompt", prompt)
                            .put("max_tokens", 1)));
    Arbitrary<Body> noModel =
        Combinators.combine(prompts, extras)
            .as(
                (prompt, extra) ->
                    body(Input.NO_MODEL, extra.copy().put("prompt", prompt).put("max_tokens", 1)));
    Arbitrary<Body> unknown =
        Combinators.combine(
                Arbitraries.strings()
                    .ofMinLength(1)
                    .ofMaxLength(40)
                    .map(HostileRequestProperties::noSurrogates)
                    .filter(m -> !m.equals(BASE_MODEL)),
                extras)
            .as(
                (model, extra) ->
                    body(
                        Input.UNKNOWN_MODEL,
                        extra.copy().put("model", model).put("max_tokens", 1)));
    Arbitrary<Body> badModel =
        Combinators.combine(
                Arbitraries.oneOf(
                    Arbitraries.<Object>of(
                        7,
                        1e308,
                        true,
                        new JsonArray().add(BASE_MODEL),
                        new JsonObject().put("name", BASE_MODEL),
                        ""),
                    json.filter(v -> v != null && !(v instanceof String))),
                extras)
            .as((model, extra) -> body(Input.BAD_MODEL, extra.copy().put("model", model)));
    Arbitrary<Body> notObject =
        Arbitraries.oneOf(
                json.filter(v -> !(v instanceof JsonObject)),
                Arbitraries.<Object>of(
                    new JsonArray().add(new JsonObject().put("model", BASE_MODEL))))
            .map(
                v -> {
                  String text =
                      v == null
                          ? "null"
                          : v instanceof String s
                              ? new JsonArray().add(s).encode().replaceAll("^\\[|\\]$", "")
                              : v instanceof JsonArray a ? a.encode() : String.valueOf(v);
                  return new Body(Input.NOT_OBJECT, text.getBytes(StandardCharsets.UTF_8), text);
                });
    Arbitrary<Body> notJson =
        Arbitraries.oneOf(
                Arbitraries.bytes()
                    .array(byte[].class)
                    .ofMinSize(1)
                    .ofMaxSize(200)
                    .filter(b -> !parses(b)),
                Arbitraries.of(
                        "{",
                        "{\"model\":",
                        "\ufeff{\"model\":\"" + BASE_MODEL + "\"}",
                        "{\"model\":\"" + BASE_MODEL + "\"} x",
                        "{'model':'x'}",
                        "model=" + BASE_MODEL,
                        "{\"model\":\"a\"\u0000}",
                        "\u0000",
                        "{\"model\":\"" + BASE_MODEL + "\",}",
                        "NaN",
                        "{\"a\":01}")
                    .map(t -> t.getBytes(StandardCharsets.UTF_8)),
                served.map(
                    b -> java.util.Arrays.copyOf(b.bytes(), Math.max(1, b.bytes().length / 2))))
            .map(b -> new Body(Input.NOT_JSON, b, new String(b, StandardCharsets.ISO_8859_1)));
    Arbitrary<Body> sized =
        Arbitraries.integers()
            .between(BODY_LIMIT - 200, BODY_LIMIT + 2000)
            .map(
                n -> {
                  String head = "{\"model\":\"" + BASE_MODEL + "\",\"max_tokens\":1,\"prompt\":\"";
                  String text = head + "x".repeat(Math.max(0, n - head.length() - 2)) + "\"}";
                  return new Body(
                      text.length() > BODY_LIMIT ? Input.TOO_LARGE : Input.SERVED,
                      text.getBytes(StandardCharsets.UTF_8),
                      head + "x…");
                });
    Arbitrary<Body> huge =
        Arbitraries.integers()
            .between(BODY_LIMIT + 1, 4 * BODY_LIMIT)
            .map(n -> new Body(Input.TOO_LARGE, new byte[n], n + " zero bytes"));
    return Arbitraries.frequencyOf(
        Tuple.of(5, served),
        Tuple.of(2, noModel),
        Tuple.of(2, unknown),
        Tuple.of(2, badModel),
        Tuple.of(2, notObject),
        Tuple.of(3, notJson),
        Tuple.of(2, sized),
        Tuple.of(1, huge));
  }

  /**
   * JSON values: unicode strings, huge and tiny numbers, literals, arrays and objects nested up to
   * {@code depth}.
   */
  private static Arbitrary<Object> jsonValues(int depth) {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .ofMaxLength(20)
                .map(HostileRequestProperties::noSurrogates)
                .map(s -> (Object) s),
            Arbitraries.<Object>of(0, -1, Long.MAX_VALUE, 1e308, -1e-308, 4.9e-324, true, false),
            Arbitraries.just((Object) null));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> inner = Arbitraries.lazy(() -> jsonValues(depth - 1));
    return Arbitraries.frequencyOf(
        Tuple.of(4, leaf),
        Tuple.of(1, inner.list().ofMaxSize(3).map(l -> (Object) new JsonArray(new ArrayList<>(l)))),
        Tuple.of(
            1,
            Arbitraries.maps(
                    Arbitraries.strings()
                        .ofMaxLength(6)
                        .map(HostileRequestProperties::noSurrogates),
                    inner)
                .ofMaxSize(3)
                .map(m -> (Object) new JsonObject(new java.util.LinkedHashMap<>(m)))));
  }

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> headers() {
    String tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars(tchar).ofMinLength(1).ofMaxLength(24),
            Arbitraries.of(
                "x-gateway-destination-endpoint",
                "x-gateway-destination-endpoint-subset",
                "x-gateway-destination-endpoint-served",
                "x-gateway-inference-objective",
                "x-gateway-inference-fairness-id",
                "x-gateway-model-name-rewrite",
                "x-igw-request-id",
                "x-request-id",
                "content-type",
                "accept",
                "x-igw-set-foo",
                "X-Gateway-Destination-Endpoint",
                "x-forwarded-for",
                "host-x",
                "te",
                "expect-x"));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('\t')
                .ofMaxLength(60)
                .map(String::strip),
            Arbitraries.strings().withCharRange('\u0080', '\u00ff').ofMaxLength(10),
            // control characters other than CR/LF (those would end the header line itself)
            Arbitraries.strings()
                .withChars('\u0001', '\u0008', '\u000b', '\u001f', '\u007f')
                .ofMinLength(1)
                .ofMaxLength(3)
                .map(c -> "v" + c + "v"),
            Arbitraries.of(
                "127.9.19.9:80",
                "127.0.0.1:1,127.0.0.22:8000",
                "critical",
                "sheddable",
                "-1",
                "application/json; charset=utf-16",
                "text/plain",
                "multipart/form-data; boundary=x",
                "",
                "${x}",
                "$request_id",
                "\"};return 200 x;",
                "a,b ,  c"));
    return Combinators.combine(names, values).as(Map::entry).list().ofMaxSize(6);
  }

  // ---- helpers ----

  /**
   * The statuses the input's class allows; a control character in a header value is refused with
   * 400 before anything else is read; a body within the size limit sent with a content type other
   * than JSON is refused with 415 whatever it holds (the first Content-Type counts, as for NGINX
   * and the model server).
   */
  private static java.util.Set<Integer> expected(
      Body body, List<Map.Entry<String, String>> headers) {
    String contentType =
        headers.stream()
            .filter(h -> h.getKey().equalsIgnoreCase("content-type"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(null);
    boolean json =
        contentType == null
            || contentType.isBlank()
            || contentType
                .strip()
                .matches("(?i)application/([a-z0-9.!#$%&'*^_`|~-]+\\+)?json\\s*(;.*)?");
    boolean controlCharacter =
        headers.stream()
            // NGINX drops a header whose name has other characters (ignore_invalid_headers)
            .filter(h -> h.getKey().matches("[A-Za-z0-9-]+"))
            .anyMatch(h -> h.getValue().matches("(?s).*[\\x00-\\x08\\x0a-\\x1f\\x7f].*"));
    if (controlCharacter && body.input() != Input.TOO_LARGE) {
      // refused by njs before the body is read or anything is forwarded
      return java.util.Set.of(400);
    }
    return body.bytes().length > 0 && !json && body.input() != Input.TOO_LARGE
        ? java.util.Set.of(415)
        : java.util.Set.copyOf(body.input().statuses);
  }

  private static Body body(Input input, JsonObject json) {
    String text = json.encode();
    return new Body(input, text.getBytes(StandardCharsets.UTF_8), text);
  }

  private static String noSurrogates(String s) {
    return s.replaceAll("[\\uD800-\\uDFFF]", "x");
  }

  private static boolean parses(byte[] bytes) {
    try {
      return io.vertx.core.buffer.Buffer.buffer(bytes).toJsonValue() instanceof JsonObject;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static java.net.http.HttpResponse<String> normal() throws Exception {
    return Http.post(stack.gatewayPort(), "/v1/completions", Http.completion(BASE_MODEL, 1));
  }

  /** One HTTP/1.1 request on its own connection, bytes as given; the answer read to the end. */
  static Answer send(
      String method, String path, List<Map.Entry<String, String>> headers, byte[] body)
      throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: ")
            .append(body.length)
            .append("\r\n");
    boolean contentType = false;
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("content-length")
          || name.equals("transfer-encoding")
          || name.equals("host")
          || name.equals("connection")) {
        continue;
      }
      contentType |= name.equals("content-type");
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (!contentType) {
      head.append("Content-Type: application/json\r\n");
    }
    request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(body);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), stack.gatewayPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.toByteArray());
      socket.getOutputStream().flush();
      byte[] all = readAll(socket.getInputStream());
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      String responseHead = split < 0 ? text : text.substring(0, split);
      String responseBody = split < 0 ? "" : text.substring(split + 4);
      if (responseHead.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        responseBody = dechunk(responseBody);
      }
      responseBody =
          new String(responseBody.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      int status = Integer.parseInt(responseHead.substring(9, 12));
      return new Answer(status, responseHead, responseBody);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // NGINX may reset after answering a body it did not read (413): what came is the answer
    }
    return out.toByteArray();
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < chunked.length()) {
      int eol = chunked.indexOf("\r\n", i);
      int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
