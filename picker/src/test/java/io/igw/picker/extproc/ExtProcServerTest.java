package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpTrailers;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.picker.PickerServer;
import io.igw.picker.core.Director;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.MetricsText;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The picker's ext_proc server over a real TLS gRPC socket: every message type, health, hostile
 * streams.
 */
class ExtProcServerTest {
  static Vertx vertx;
  static StubModelServer a;
  static StubModelServer b;
  static PickerServer picker;
  static GrpcClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    a =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setModels(List.of("base", "lora-a"));
    b =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setModels(List.of("base", "lora-a"));
    String yaml =
        Manifests.pool("p", a.port(), b.port())
            + Manifests.pod("p-0", "p", "127.0.0.1", true)
            + ExtProcServerTestRewrite.YAML;
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                ExtProcPickers.options(yaml)
                    .setExtProc(ExtProcPickers.tls().setMaxBodyBytes(1024 * 1024))));
    client = GrpcStreams.tlsClient(vertx);
    ExtProcPickers.awaitModels(vertx, picker);
  }

  @AfterAll
  static void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  static ProcessingRequest headers(boolean endOfStream, String... nameValues) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    map.addHeaders(
        HeaderValue.newBuilder().setKey(":method").setRawValue(ByteString.copyFromUtf8("POST")));
    map.addHeaders(HeaderValue.newBuilder().setKey(":path").setValue("/v1/completions"));
    for (int i = 0; i < nameValues.length; i += 2) {
      map.addHeaders(
          HeaderValue.newBuilder()
              .setKey(nameValues[i])
              .setRawValue(ByteString.copyFromUtf8(nameValues[i + 1])));
    }
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map).setEndOfStream(endOfStream))
        .build();
  }

  static ProcessingRequest body(String text, boolean endOfStream) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder()
                .setBody(ByteString.copyFromUtf8(text))
                .setEndOfStream(endOfStream))
        .build();
  }

  static String header(ProcessingResponse r, String name) {
    return r.getRequestHeaders().getResponse().getHeaderMutation().getSetHeadersList().stream()
        .filter(h -> h.getHeader().getKey().equals(name))
        .map(h -> ExtProcMessages.valueOf(h.getHeader()))
        .findFirst()
        .orElse(null);
  }

  /**
   * A gateway cancels a stream whenever its client goes away; many cancels on its one connection
   * are normal traffic, not an HTTP/2 rapid-reset attack, and must not cost it the connection and
   * every pick in flight on it.
   */
  @Test
  void aGatewayCancellingManyStreamsKeepsItsConnection() {
    GrpcClient own = GrpcStreams.tlsClient(vertx);
    for (int i = 0; i < 600; i++) {
      var request =
          Await.result(
              own.request(
                  io.vertx.core.net.SocketAddress.inetSocketAddress(
                      picker.extProcPort(), "127.0.0.1"),
                  ExtProcMessages.CLIENT_PROCESS));
      request.write(headers(false));
      request.cancel();
    }
    ProcessingResponse answer =
        GrpcStreams.exchange(
                own,
                picker.extProcPort(),
                List.of(headers(false), body("{\"model\":\"base\",\"prompt\":\"hi\"}", true)),
                true)
            .answers()
            .get(0);
    assertThat(header(answer, ExtProcMessages.ENDPOINT_HEADER)).isNotNull();
    own.close();
  }

  @Test
  void everyMessageTypeOfOneRequest() {
    long before = inFlight();
    String json = "{\"model\":\"alias\",\"prompt\":\"hello\"}";
    Metadata served =
        Metadata.newBuilder()
            .putFilterMetadata(
                ExtProcMessages.LB_NAMESPACE,
                Struct.newBuilder()
                    .putFields(
                        ExtProcMessages.SERVED_KEY,
                        Value.newBuilder().setStringValue("127.0.0.1:" + a.port()).build())
                    .build())
            .build();
    List<ProcessingRequest> messages =
        List.of(
            headers(false, "x-request-id", "every-1", "x-gateway-inference-objective", "none"),
            body(json.substring(0, 10), false),
            body(json.substring(10), false),
            ProcessingRequest.newBuilder()
                .setRequestTrailers(HttpTrailers.getDefaultInstance())
                .build(),
            ProcessingRequest.newBuilder()
                .setResponseHeaders(HttpHeaders.newBuilder())
                .setMetadataContext(served)
                .build(),
            ProcessingRequest.newBuilder()
                .setResponseBody(HttpBody.newBuilder().setEndOfStream(true))
                .build(),
            ProcessingRequest.newBuilder()
                .setResponseTrailers(HttpTrailers.getDefaultInstance())
                .build());
    GrpcStreams.Outcome outcome =
        GrpcStreams.exchange(client, picker.extProcPort(), messages, true);

    assertThat(outcome.status()).isEqualTo(GrpcStatus.OK);
    List<ProcessingResponse.ResponseCase> kinds =
        outcome.answers().stream().map(ProcessingResponse::getResponseCase).toList();
    assertThat(kinds)
        .containsExactly(
            ProcessingResponse.ResponseCase.REQUEST_HEADERS,
            ProcessingResponse.ResponseCase.REQUEST_BODY,
            ProcessingResponse.ResponseCase.REQUEST_TRAILERS,
            ProcessingResponse.ResponseCase.RESPONSE_HEADERS,
            ProcessingResponse.ResponseCase.RESPONSE_BODY,
            ProcessingResponse.ResponseCase.RESPONSE_TRAILERS);
    ProcessingResponse picked = outcome.answers().get(0);
    String endpoint = header(picked, ExtProcMessages.ENDPOINT_HEADER);
    assertThat(ExtProcMessages.metadataEndpoint(picked.getDynamicMetadata())).isEqualTo(endpoint);
    assertThat(picked.getRequestHeaders().getResponse().getClearRouteCache()).isTrue();
    assertThat(picked.getRequestHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .contains("x-gateway-inference-objective");
    String rewritten =
        outcome
            .answers()
            .get(1)
            .getRequestBody()
            .getResponse()
            .getBodyMutation()
            .getStreamedResponse()
            .getBody()
            .toStringUtf8();
    assertThat(new JsonObject(rewritten).getString("model")).isEqualTo("lora-a");
    assertThat(header(picked, "content-length")).isEqualTo(Integer.toString(rewritten.length()));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(inFlight()).isEqualTo(before));
  }

  @Test
  void largeBodyComesBackIn62000ByteChunks() {
    String prompt = "x".repeat(200_000);
    String json = "{\"model\":\"base\",\"prompt\":\"" + prompt + "\"}";
    List<ProcessingRequest> messages = new ArrayList<>();
    messages.add(headers(false));
    for (int i = 0; i < json.length(); i += 50_000) {
      messages.add(
          body(
              json.substring(i, Math.min(json.length(), i + 50_000)), i + 50_000 >= json.length()));
    }
    GrpcStreams.Outcome outcome =
        GrpcStreams.exchange(client, picker.extProcPort(), messages, true);
    List<Integer> chunks =
        outcome.answers().stream()
            .filter(ProcessingResponse::hasRequestBody)
            .map(
                r ->
                    r.getRequestBody()
                        .getResponse()
                        .getBodyMutation()
                        .getStreamedResponse()
                        .getBody()
                        .size())
            .toList();
    assertThat(chunks).hasSize(4).startsWith(62_000, 62_000, 62_000);
    assertThat(chunks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(json.length());
    assertThat(
            outcome
                .answers()
                .get(outcome.answers().size() - 1)
                .getRequestBody()
                .getResponse()
                .getBodyMutation()
                .getStreamedResponse()
                .getEndOfStream())
        .isTrue();
  }

  @Test
  void subsetHintRestrictsThePickAndAnEmptyOneIs503() {
    String only = "127.0.0.1:" + b.port();
    for (int i = 0; i < 5; i++) {
      ProcessingResponse answer =
          GrpcStreams.exchange(
                  client, picker.extProcPort(), List.of(withSubset(headers(true), only)), true)
              .answers()
              .get(0);
      assertThat(header(answer, ExtProcMessages.ENDPOINT_HEADER)).isEqualTo(only);
    }
    ProcessingResponse none =
        GrpcStreams.exchange(
                client,
                picker.extProcPort(),
                List.of(withSubset(headers(true), "127.9.19.9:80")),
                true)
            .answers()
            .get(0);
    assertThat(none.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
    assertThat(
            new JsonObject(none.getImmediateResponse().getBody().toStringUtf8())
                .getJsonObject("error")
                .getString("code"))
        .isEqualTo("service_unavailable");
  }

  @Test
  void aSubsetHeaderWithoutMetadataRestrictsNothing() {
    ProcessingResponse answer =
        GrpcStreams.exchange(
                client,
                picker.extProcPort(),
                List.of(headers(true, Director.SUBSET_HINT_HEADER, "127.9.19.9:80")),
                true)
            .answers()
            .get(0);
    assertThat(header(answer, ExtProcMessages.ENDPOINT_HEADER)).startsWith("127.0.0.1:");
    String only = "127.0.0.1:" + b.port();
    for (int i = 0; i < 5; i++) {
      ProcessingResponse withBoth =
          GrpcStreams.exchange(
                  client,
                  picker.extProcPort(),
                  List.of(
                      withSubset(
                          headers(true, Director.SUBSET_HINT_HEADER, "127.0.0.1:" + a.port()),
                          only)),
                  true)
              .answers()
              .get(0);
      assertThat(header(withBoth, ExtProcMessages.ENDPOINT_HEADER))
          .as("the metadata decides")
          .isEqualTo(only);
    }
  }

  @Test
  void streamsWithTheSameRequestIdAreCountedApart() {
    long before = inFlight();
    var open =
        Await.result(
            client.request(
                SocketAddress.inetSocketAddress(picker.extProcPort(), "127.0.0.1"),
                ExtProcMessages.CLIENT_PROCESS));
    Await.result(open.write(headers(true, "x-request-id", "same-id")));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(inFlight()).isEqualTo(before + 1));
    for (int i = 0; i < 3; i++) {
      GrpcStreams.Outcome other =
          GrpcStreams.exchange(
              client,
              picker.extProcPort(),
              List.of(headers(true, "x-request-id", "same-id")),
              true);
      assertThat(header(other.answers().get(0), ExtProcMessages.ENDPOINT_HEADER)).isNotNull();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(inFlight()).isEqualTo(before + 1));
    open.cancel();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(inFlight()).isEqualTo(before));
  }

  static ProcessingRequest withSubset(ProcessingRequest headers, String endpoint) {
    return headers.toBuilder()
        .setMetadataContext(
            Metadata.newBuilder()
                .putFilterMetadata(
                    ExtProcMessages.SUBSET_NAMESPACE,
                    Struct.newBuilder()
                        .putFields(
                            ExtProcMessages.SUBSET_KEY,
                            Value.newBuilder()
                                .setListValue(
                                    ListValue.newBuilder()
                                        .addValues(Value.newBuilder().setStringValue(endpoint)))
                                .build())
                        .build()))
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[1,2]", "{\"model\":7}"})
  void badBodiesAre400(String text) {
    ProcessingResponse answer =
        GrpcStreams.exchange(
                client, picker.extProcPort(), List.of(headers(false), body(text, true)), true)
            .answers()
            .get(0);
    assertThat(answer.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
  }

  @Test
  void malformedProtobufIsInvalidArgument() {
    Buffer garbage =
        Buffer.buffer(
            new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1});
    assertThat(GrpcStreams.raw(client, picker.extProcPort(), garbage))
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void phasesOutOfOrderAreInvalidArgument() {
    assertThat(
            GrpcStreams.exchange(client, picker.extProcPort(), List.of(body("{}", true)), true)
                .status())
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(
            GrpcStreams.exchange(
                    client, picker.extProcPort(), List.of(headers(false), headers(false)), true)
                .status())
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void streamResetMidBodyLeavesNothingBehind() {
    long before = inFlight();
    var request =
        Await.result(
            client.request(
                SocketAddress.inetSocketAddress(picker.extProcPort(), "127.0.0.1"),
                ExtProcMessages.CLIENT_PROCESS));
    Await.result(request.write(headers(false, "x-request-id", "reset-1")));
    Await.result(request.write(body("{\"model\":\"ba", false)));
    request.cancel();
    ProcessingResponse after =
        GrpcStreams.exchange(client, picker.extProcPort(), List.of(headers(true)), true)
            .answers()
            .get(0);
    assertThat(header(after, ExtProcMessages.ENDPOINT_HEADER)).isNotNull();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(inFlight()).isEqualTo(before));
  }

  @Test
  void healthServesLivenessReadinessAndTheServiceName() {
    ServiceMethod<HealthCheckResponse, HealthCheckRequest> check =
        ServiceMethod.client(
            ServiceName.create("grpc.health.v1.Health"),
            "Check",
            GrpcMessageEncoder.encoder(),
            GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
    for (String service :
        List.of("liveness", "readiness", ExtProcMessages.SERVICE.fullyQualifiedName())) {
      HealthCheckResponse response =
          Await.result(
              client
                  .request(
                      SocketAddress.inetSocketAddress(picker.extProcPort(), "127.0.0.1"), check)
                  .compose(
                      req -> req.send(HealthCheckRequest.newBuilder().setService(service).build()))
                  .compose(resp -> resp.last()));
      assertThat(response.getStatus())
          .as(service)
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  /**
   * In flight on the pool (HTTP picks of the start-up probe never complete: tests compare with a
   * baseline).
   */
  static long inFlight() {
    return inFlight(picker);
  }

  @Test
  void extProcPicksAndRefusalsAreCountedInTheObjectiveMetrics() {
    double picks = metric("inference_objective_request_total", Map.of("model_name", "alias"));
    double errors =
        metric("inference_objective_request_error_total", Map.of("error_code", "invalid_json"));
    GrpcStreams.exchange(
        client,
        picker.extProcPort(),
        List.of(headers(false), body("{\"model\":\"alias\",\"prompt\":\"hi\"}", true)),
        true);
    GrpcStreams.exchange(
        client, picker.extProcPort(), List.of(headers(false), body("not json", true)), true);
    assertThat(metric("inference_objective_request_total", Map.of("model_name", "alias")))
        .isEqualTo(picks + 1);
    assertThat(
            metric("inference_objective_request_error_total", Map.of("error_code", "invalid_json")))
        .isEqualTo(errors + 1);
  }

  /**
   * Sum of the picker's /metrics samples named {@code name} with these labels (0 when none yet).
   */
  static double metric(String name, Map<String, String> labels) {
    String text =
        new PickClient(vertx, picker.port())
            .send(
                HttpMethod.GET,
                "/metrics",
                Buffer.buffer(),
                io.vertx.core.MultiMap.caseInsensitiveMultiMap())
            .body()
            .toString();
    return MetricsText.sum(text, name, labels);
  }

  static long inFlight(PickerServer picker) {
    JsonObject pools =
        new JsonObject(
            new PickClient(vertx, picker.port())
                .send(
                    HttpMethod.GET,
                    "/debug/pools",
                    Buffer.buffer(),
                    io.vertx.core.MultiMap.caseInsensitiveMultiMap())
                .body()
                .toString());
    return pools.getJsonArray("pools").getJsonObject(0).getJsonArray("endpoints").stream()
        .mapToLong(e -> ((JsonObject) e).getLong("inFlight"))
        .sum();
  }
}
