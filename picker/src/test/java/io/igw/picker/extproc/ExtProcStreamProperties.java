package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpTrailers;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import io.igw.api.testing.ScaledTries;
import io.igw.api.testing.TestCertificates;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
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
 * Generated ext_proc streams over real TLS gRPC to the picker's ExtProcServer: random sequences of
 * ProcessingRequest messages (headers with random header maps and end_of_stream flags, bodies cut
 * into random chunks, trailers, response-phase messages, messages before headers, headers twice,
 * empty messages, subset hints holding junk), and random bytes as the gRPC message. Each stream
 * gets exactly the answers and the final status the protocol gives for its messages (a model of
 * ProcessingStream's contract), within a bounded wait; nothing stays in flight, and a normal stream
 * gets a pick afterwards. Tries: random bytes {@code jqwik.tries.default}; streams {@code
 * igw.propertyTries / 4}, cancelled ones / 10.
 */
class ExtProcStreamProperties {
  private static final int MAX_BODY = 64 * 1024;
  private static final Set<String> SERVED = Set.of("base", "lora-a");

  private static Vertx vertx;
  private static StubModelServer a;
  private static StubModelServer b;
  private static PickerServer picker;
  private static GrpcClient client;
  private static long baseline;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    a =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setModels(List.of("base", "lora-a"));
    b =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setModels(List.of("base", "lora-a"));
    String yaml =
        Manifests.pool("p", a.port(), b.port()) + Manifests.pod("p-0", "p", "127.0.0.1", true);
    var cert = TestCertificates.selfSigned("props-epp");
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml))
                    .setExtProc(
                        new ExtProcOptions()
                            .setPort(0)
                            .setMaxBodyBytes(MAX_BODY)
                            .setPool("default/p")
                            .setCertPath(cert.cert().toString())
                            .setKeyPath(cert.key().toString()))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(
                        new CollectorOptions().setScrapeIntervalMs(20).setModelsIntervalMs(50))));
    client = GrpcStreams.tlsClient(vertx);
    // both endpoints live and serving "lora-a": a hint naming one of them picks it
    for (String endpoint : endpoints()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  endpoint.equals(
                      ExtProcServerTest.header(
                          GrpcStreams.exchange(
                                  client,
                                  picker.extProcPort(),
                                  List.of(
                                      ExtProcServerTest.withSubset(
                                          ExtProcServerTest.headers(false), endpoint),
                                      ExtProcServerTest.body("{\"model\":\"lora-a\"}", true)),
                                  true)
                              .answers()
                              .get(0),
                          ExtProcMessages.ENDPOINT_HEADER)));
    }
    baseline = inFlight();
  }

  @AfterContainer
  static void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  /** After each property: nothing is left in flight, and a plain stream still gets a pick. */
  @AfterProperty
  void aNormalStreamIsServed() {
    ProcessingResponse answer =
        GrpcStreams.exchange(
                client,
                picker.extProcPort(),
                List.of(
                    ExtProcServerTest.headers(false),
                    ExtProcServerTest.body("{\"model\":\"base\",\"prompt\":\"hi\"}", true)),
                true)
            .answers()
            .get(0);
    assertThat(endpoints())
        .contains(ExtProcServerTest.header(answer, ExtProcMessages.ENDPOINT_HEADER).split(",")[0]);
    settled().untilAsserted(() -> assertThat(inFlight()).isEqualTo(baseline));
  }

  // ---- the model: what ProcessingStream answers to a sequence of messages ----

  /** The answers' kinds in order, the immediate status when there is one, the final gRPC status. */
  record Expected(
      List<ResponseCase> answers, int immediateStatus, Set<String> allowed, GrpcStatus status) {}

  static Expected expect(List<ProcessingRequest> messages) {
    List<ResponseCase> answers = new ArrayList<>();
    int immediate = 0;
    Set<String> allowed = Set.of();
    String phase = "HEADERS";
    Set<String> subset = null;
    String contentType = null;
    Buffer body = Buffer.buffer();
    for (ProcessingRequest m : messages) {
      if (phase.equals("DONE")) {
        break;
      }
      Buffer raw = null;
      boolean pick = false;
      switch (m.getRequestCase()) {
        case REQUEST_HEADERS -> {
          if (!phase.equals("HEADERS")) {
            return new Expected(answers, immediate, allowed, GrpcStatus.INVALID_ARGUMENT);
          }
          subset =
              m.hasMetadataContext() ? ExtProcMessages.subsetHint(m.getMetadataContext()) : null;
          contentType =
              ExtProcMessages.headers(m.getRequestHeaders().getHeaders()).get("content-type");
          pick = m.getRequestHeaders().getEndOfStream();
          phase = pick ? phase : "BODY";
        }
        case REQUEST_BODY -> {
          if (!phase.equals("BODY")) {
            return new Expected(answers, immediate, allowed, GrpcStatus.INVALID_ARGUMENT);
          }
          byte[] chunk = m.getRequestBody().getBody().toByteArray();
          if (body.length() + chunk.length > MAX_BODY) {
            answers.add(ResponseCase.IMMEDIATE_RESPONSE);
            immediate = 413;
            phase = "DONE";
          } else {
            body.appendBytes(chunk);
            pick = m.getRequestBody().getEndOfStream();
            raw = body;
          }
        }
        case REQUEST_TRAILERS -> {
          pick = phase.equals("BODY");
          raw = body;
        }
        case RESPONSE_HEADERS, RESPONSE_BODY, RESPONSE_TRAILERS -> {}
        default -> {
          return new Expected(answers, immediate, allowed, GrpcStatus.INVALID_ARGUMENT);
        }
      }
      if (pick) {
        Set<String> candidates = new LinkedHashSet<>();
        for (String e : endpoints()) {
          if (subset == null || subset.contains(e) || subset.contains("127.0.0.1")) {
            candidates.add(e);
          }
        }
        // the body is checked first, then the hint (no endpoint left: 503), then the model (404)
        int status = statusOf(raw, contentType);
        status = status != 400 && status != 415 && candidates.isEmpty() ? 503 : status;
        if (status == 200) {
          phase = "PICKED";
          allowed = candidates;
          answers.add(ResponseCase.REQUEST_HEADERS);
          for (int i = 0; raw != null && (i == 0 || i * 62_000 < raw.length()); i++) {
            answers.add(ResponseCase.REQUEST_BODY);
          }
        } else {
          phase = "DONE";
          immediate = status;
          answers.add(ResponseCase.IMMEDIATE_RESPONSE);
        }
      }
      switch (m.getRequestCase()) {
        case REQUEST_TRAILERS -> answers.add(ResponseCase.REQUEST_TRAILERS);
        case RESPONSE_HEADERS -> answers.add(ResponseCase.RESPONSE_HEADERS);
        case RESPONSE_BODY -> answers.add(ResponseCase.RESPONSE_BODY);
        case RESPONSE_TRAILERS -> answers.add(ResponseCase.RESPONSE_TRAILERS);
        default -> {}
      }
    }
    return new Expected(answers, immediate, allowed, GrpcStatus.OK);
  }

  /**
   * The pick's status for a whole body: the HTTP pick API's rules (bodyless: no model; a body sent
   * as anything but JSON: 415).
   */
  static int statusOf(Buffer raw, String contentType) {
    if (raw == null || raw.length() == 0) {
      return 200;
    }
    if (contentType != null
        && !contentType.isBlank()
        && !contentType.matches(
            "(?is)\\s*application/([a-z0-9.!#$%&'*^_`|~-]+\\+)?json\\s*(;.*)?")) {
      return 415;
    }
    if (notPlainUtf8(raw)) {
      return 400;
    }
    Object value;
    try {
      value = raw.toJsonValue();
    } catch (RuntimeException e) {
      return 400;
    }
    if (!(value instanceof JsonObject json)) {
      return 400;
    }
    Object model = json.getValue("model");
    Object prompt = json.getValue("prompt");
    if (model != null && !(model instanceof String)
        || "".equals(model)
        || prompt != null && !(prompt instanceof String)) {
      return 400;
    }
    return model == null || SERVED.contains(model) ? 200 : 404;
  }

  /**
   * JSON as HTTP carries it is UTF-8 without a byte-order mark: a mark, or a NUL in the first four
   * bytes (UTF-16/32), is refused as the model server refuses it, though Vert.x's codec would read
   * it.
   */
  private static boolean notPlainUtf8(Buffer raw) {
    for (int i = 0; i < Math.min(4, raw.length()); i++) {
      if (raw.getByte(i) == 0) {
        return true;
      }
    }
    int b0 = raw.getUnsignedByte(0);
    int b1 = raw.length() > 1 ? raw.getUnsignedByte(1) : -1;
    return b0 == 0xEF && b1 == 0xBB || b0 == 0xFE && b1 == 0xFF || b0 == 0xFF && b1 == 0xFE;
  }

  // ---- the properties ----

  @Property
  @ScaledTries(divisor = 4)
  void everyStreamGetsTheAnswersItsMessagesCallFor(
      @ForAll("streams") List<ProcessingRequest> messages) {
    Expected expected = expect(messages);
    Statistics.label("status").collect(expected.status(), expected.immediateStatus());
    GrpcStreams.Outcome outcome =
        GrpcStreams.exchange(client, picker.extProcPort(), messages, true);
    check(outcome.answers(), outcome.status(), expected);
    settled().untilAsserted(() -> assertThat(inFlight()).isEqualTo(baseline));
  }

  @Property
  void randomBytesAsTheMessageAreRefusedOrServedAsWhatTheyDecodeTo(
      @ForAll("payloads") byte[] payload) {
    GrpcStatus expected;
    try {
      expected = expect(List.of(ProcessingRequest.parseFrom(payload))).status();
    } catch (InvalidProtocolBufferException e) {
      expected = GrpcStatus.INVALID_ARGUMENT;
    }
    Statistics.label("status").collect(expected);
    assertThat(GrpcStreams.raw(client, picker.extProcPort(), Buffer.buffer(payload)))
        .isEqualTo(expected);
  }

  /** A stream cancelled after any of its messages leaves nothing in flight. */
  @Property
  @ScaledTries(divisor = 10)
  void aCancelledStreamLeavesNothingBehind(@ForAll("streams") List<ProcessingRequest> messages) {
    var request =
        Await.result(
            client.request(
                SocketAddress.inetSocketAddress(picker.extProcPort(), "127.0.0.1"),
                ExtProcMessages.CLIENT_PROCESS));
    // the server may have ended the stream already (a refused message): the writes after it go
    // nowhere
    messages.forEach(request::write);
    request.cancel();
    settled().untilAsserted(() -> assertThat(inFlight()).isEqualTo(baseline));
  }

  private static void check(
      List<ProcessingResponse> answers, GrpcStatus status, Expected expected) {
    assertThat(status).isEqualTo(expected.status());
    assertThat(answers.stream().map(ProcessingResponse::getResponseCase).toList())
        .isEqualTo(expected.answers());
    for (ProcessingResponse answer : answers) {
      if (answer.hasImmediateResponse()) {
        assertThat(answer.getImmediateResponse().getStatus().getCodeValue())
            .isEqualTo(expected.immediateStatus());
        JsonObject error =
            new JsonObject(answer.getImmediateResponse().getBody().toStringUtf8())
                .getJsonObject("error");
        assertThat(error.getString("message")).isNotEmpty();
        assertThat(error.getString("type")).isNotEmpty();
      }
      if (answer.hasRequestHeaders()) {
        String endpoint = ExtProcServerTest.header(answer, ExtProcMessages.ENDPOINT_HEADER);
        assertThat(expected.allowed()).contains(endpoint.split(",")[0]);
      }
    }
  }

  // ---- generators ----

  @Provide
  Arbitrary<List<ProcessingRequest>> streams() {
    Arbitrary<List<ProcessingRequest>> wellFormed =
        Combinators.combine(
                requestHeaders(false),
                bodies(),
                Arbitraries.integers().between(1, 6),
                Arbitraries.of("eos", "trailers", "none"),
                extras())
            .as(
                (headers, body, pieces, end, extra) -> {
                  List<ProcessingRequest> out = new ArrayList<>(List.of(headers));
                  out.addAll(chunks(body, pieces, end.equals("eos")));
                  if (end.equals("trailers")) {
                    out.add(
                        ProcessingRequest.newBuilder()
                            .setRequestTrailers(HttpTrailers.getDefaultInstance())
                            .build());
                  }
                  out.addAll(extra);
                  return out;
                });
    Arbitrary<List<ProcessingRequest>> bodyless =
        Combinators.combine(requestHeaders(true), extras())
            .as(
                (headers, extra) -> {
                  List<ProcessingRequest> out = new ArrayList<>(List.of(headers));
                  out.addAll(extra);
                  return out;
                });
    Arbitrary<List<ProcessingRequest>> anyOrder =
        Arbitraries.oneOf(
                requestHeaders(false),
                requestHeaders(true),
                bodies().map(text -> chunks(text, 1, true).get(0)),
                bodies().map(text -> chunks(text, 1, false).get(0)),
                other())
            .list()
            .ofMaxSize(8);
    return Arbitraries.frequencyOf(
        Tuple.of(4, wellFormed),
        Tuple.of(1, bodyless),
        Tuple.of(2, anyOrder),
        Tuple.of(2, wellFormed.flatMap(list -> shuffled(list))));
  }

  private static Arbitrary<List<ProcessingRequest>> shuffled(List<ProcessingRequest> list) {
    return Arbitraries.integers()
        .between(0, Math.max(0, list.size() - 1))
        .tuple2()
        .map(
            swap -> {
              List<ProcessingRequest> out = new ArrayList<>(list);
              java.util.Collections.swap(
                  out,
                  Math.min(swap.get1(), out.size() - 1),
                  Math.min(swap.get2(), out.size() - 1));
              return out;
            });
  }

  /** Messages after the request phase, or a second request_headers, or an empty message. */
  private Arbitrary<List<ProcessingRequest>> extras() {
    return Arbitraries.frequencyOf(
            Tuple.of(6, other()),
            Tuple.of(1, requestHeaders(false)),
            Tuple.of(1, requestHeaders(true)))
        .list()
        .ofMaxSize(3);
  }

  private Arbitrary<ProcessingRequest> other() {
    Metadata served =
        Metadata.newBuilder()
            .putFilterMetadata(
                ExtProcMessages.LB_NAMESPACE,
                Struct.newBuilder()
                    .putFields(
                        ExtProcMessages.SERVED_KEY,
                        com.google.protobuf.Value.newBuilder().setStringValue("junk").build())
                    .build())
            .build();
    return Arbitraries.of(
        ProcessingRequest.newBuilder()
            .setRequestTrailers(HttpTrailers.getDefaultInstance())
            .build(),
        ProcessingRequest.newBuilder().setResponseHeaders(HttpHeaders.getDefaultInstance()).build(),
        ProcessingRequest.newBuilder()
            .setResponseHeaders(HttpHeaders.getDefaultInstance())
            .setMetadataContext(served)
            .build(),
        ProcessingRequest.newBuilder()
            .setResponseBody(HttpBody.newBuilder().setEndOfStream(true))
            .build(),
        ProcessingRequest.newBuilder()
            .setResponseTrailers(HttpTrailers.getDefaultInstance())
            .build(),
        ProcessingRequest.getDefaultInstance());
  }

  private static List<ProcessingRequest> chunks(byte[] body, int pieces, boolean eosAtEnd) {
    List<ProcessingRequest> out = new ArrayList<>();
    int size = Math.max(1, (body.length + pieces - 1) / pieces);
    int offset = 0;
    do {
      int end = Math.min(body.length, offset + size);
      out.add(
          ProcessingRequest.newBuilder()
              .setRequestBody(
                  HttpBody.newBuilder()
                      .setBody(ByteString.copyFrom(body, offset, end - offset))
                      .setEndOfStream(eosAtEnd && end == body.length))
              .build());
      offset = end;
    } while (offset < body.length);
    return out;
  }

  private Arbitrary<ProcessingRequest> requestHeaders(boolean endOfStream) {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.of(
                "x-request-id",
                "x-gateway-inference-objective",
                "x-gateway-inference-fairness-id",
                "x-gateway-model-name-rewrite",
                "content-type",
                "X-Request-ID",
                ExtProcMessages.SUBSET_KEY,
                ExtProcMessages.ENDPOINT_HEADER,
                ":authority",
                "content-length"),
            Arbitraries.strings().ofMaxLength(20));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.of(
                "", "127.9.19.9:80", "127.0.0.1:1", "critical", "-1", "\u0000", "a\r\nb: c"));
    Arbitrary<HeaderValue> header =
        Combinators.combine(names, values, Arbitraries.of(true, false))
            .as(
                (n, v, raw) ->
                    raw
                        ? HeaderValue.newBuilder()
                            .setKey(n)
                            .setRawValue(ByteString.copyFromUtf8(v))
                            .build()
                        : HeaderValue.newBuilder().setKey(n).setValue(v).build());
    return Combinators.combine(header.list().ofMaxSize(6), subsetHints().injectNull(0.5))
        .as(
            (list, hint) -> {
              HeaderMap.Builder map =
                  HeaderMap.newBuilder()
                      .addHeaders(
                          HeaderValue.newBuilder()
                              .setKey(":method")
                              .setRawValue(ByteString.copyFromUtf8("POST")))
                      .addHeaders(
                          HeaderValue.newBuilder().setKey(":path").setValue("/v1/completions"))
                      .addAllHeaders(list);
              ProcessingRequest.Builder m =
                  ProcessingRequest.newBuilder()
                      .setRequestHeaders(
                          HttpHeaders.newBuilder().setHeaders(map).setEndOfStream(endOfStream));
              if (hint != null) {
                m.setMetadataContext(hint);
              }
              return m.build();
            });
  }

  /**
   * Metadata with a subset hint of real endpoints, a bare IP, junk, or nothing usable; or other
   * metadata.
   */
  private Arbitrary<Metadata> subsetHints() {
    Arbitrary<String> token =
        Arbitraries.oneOf(
            Arbitraries.of(endpoints()),
            Arbitraries.of(
                "127.0.0.1",
                "127.9.19.9:80",
                "",
                " ",
                ",",
                "127.0.0.1:",
                "127.0.0.1:0",
                "[::1]:80",
                "\u0000",
                "127.0.0.1:99999"),
            Arbitraries.strings().ofMaxLength(16));
    Arbitrary<com.google.protobuf.Value> value =
        Arbitraries.oneOf(
            token
                .list()
                .ofMaxSize(4)
                .map(
                    list ->
                        com.google.protobuf.Value.newBuilder()
                            .setListValue(
                                ListValue.newBuilder()
                                    .addAllValues(
                                        list.stream()
                                            .map(
                                                t ->
                                                    com.google.protobuf.Value.newBuilder()
                                                        .setStringValue(t)
                                                        .build())
                                            .toList()))
                            .build()),
            token
                .list()
                .ofMaxSize(3)
                .map(
                    list ->
                        com.google.protobuf.Value.newBuilder()
                            .setStringValue(String.join(",", list))
                            .build()),
            Arbitraries.of(
                com.google.protobuf.Value.newBuilder().setNumberValue(7).build(),
                com.google.protobuf.Value.newBuilder().setBoolValue(true).build(),
                com.google.protobuf.Value.newBuilder()
                    .setStructValue(Struct.getDefaultInstance())
                    .build()));
    return Combinators.combine(
            value,
            Arbitraries.of(ExtProcMessages.SUBSET_NAMESPACE, "envoy.lb", "other"),
            Arbitraries.of(ExtProcMessages.SUBSET_KEY, "x-other"))
        .as(
            (v, namespace, key) ->
                Metadata.newBuilder()
                    .putFilterMetadata(namespace, Struct.newBuilder().putFields(key, v).build())
                    .build());
  }

  /**
   * Bodies: requests for served or unknown models, wrong types, not JSON, invalid UTF-8, over the
   * limit.
   */
  private Arbitrary<byte[]> bodies() {
    Arbitrary<Object> model =
        Arbitraries.oneOf(
            Arbitraries.of("base", "lora-a", "nope", "BASE", "base "),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(12),
            Arbitraries.<Object>of(7, true, new JsonArray().add("base")),
            Arbitraries.<Object>just(null));
    Arbitrary<byte[]> json =
        Combinators.combine(
                model,
                Arbitraries.of(true, false),
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.oneOf(
                    Arbitraries.<Object>just(null),
                    Arbitraries.<Object>of(7, new JsonArray().add(1).add(2), "text")))
            .as(
                (m, withModel, prompt, extra) -> {
                  JsonObject o = new JsonObject().put("prompt", prompt).put("max_tokens", 1);
                  if (withModel) {
                    o.put("model", m);
                  }
                  if (extra != null) {
                    o.put("extra", extra);
                  }
                  return o.encode().getBytes(StandardCharsets.UTF_8);
                });
    Arbitrary<byte[]> junk =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(100),
            Arbitraries.of(
                    "",
                    "null",
                    "[]",
                    "[{\"model\":\"base\"}]",
                    "\"base\"",
                    "{",
                    "{\"model\":\"ba\u00ff\"}",
                    "\ufeff{\"model\":\"base\"}",
                    "{\"model\":\"base\"} {}")
                .map(t -> t.getBytes(StandardCharsets.UTF_8)),
            Arbitraries.of(new byte[] {'{', '"', 'm', '"', ':', '"', (byte) 0xc3, '"', '}'}));
    Arbitrary<byte[]> large =
        Arbitraries.integers()
            .between(MAX_BODY - 64, MAX_BODY + 64)
            .map(
                n -> {
                  byte[] out = new byte[n];
                  Arrays.fill(out, (byte) 'x');
                  return out;
                });
    return Arbitraries.frequencyOf(Tuple.of(6, json), Tuple.of(3, junk), Tuple.of(1, large));
  }

  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<byte[]> mutated =
        Combinators.combine(
                streams().filter(s -> !s.isEmpty()),
                Arbitraries.integers(),
                Arbitraries.integers().between(0, 255),
                Arbitraries.of("flip", "cut", "as-is"))
            .as(
                (stream, at, value, how) -> {
                  byte[] bytes = stream.get(0).toByteArray();
                  if (bytes.length == 0) {
                    return bytes;
                  }
                  int i = Math.floorMod(at, bytes.length);
                  return switch (how) {
                    case "flip" -> {
                      bytes[i] = (byte) value.intValue();
                      yield bytes;
                    }
                    case "cut" -> Arrays.copyOf(bytes, i);
                    default -> bytes;
                  };
                });
    return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(64), mutated);
  }

  // ---- the picker as the test sees it ----

  /**
   * Waits for the picker to settle (bounded), polling without Awaitility's default 100 ms delay.
   */
  private static org.awaitility.core.ConditionFactory settled() {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5));
  }

  static List<String> endpoints() {
    return List.of("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
  }

  static long inFlight() {
    JsonObject pools =
        new JsonObject(
            new PickClient(vertx, picker.port())
                .send(
                    HttpMethod.GET,
                    "/debug/pools",
                    Buffer.buffer(),
                    MultiMap.caseInsensitiveMultiMap())
                .body()
                .toString());
    return pools.getJsonArray("pools").getJsonObject(0).getJsonArray("endpoints").stream()
        .mapToLong(e -> ((JsonObject) e).getLong("inFlight"))
        .sum();
  }
}
