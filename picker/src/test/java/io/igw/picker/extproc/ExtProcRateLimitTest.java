package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.picker.PickerServer;
import io.igw.picker.ratelimit.RateLimitOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token rate limits over the ext_proc server, real TLS gRPC sockets: an admitted request's answer
 * to the response headers sets OpenAI's {@code x-ratelimit-*} headers on the client's response; a
 * request over its budget is an ImmediateResponse 429 with them, {@code retry-after} and the OpenAI
 * error; a request no rule counts gets none. The rate limits' clock stands still, so the values are
 * exact: a charge of 40 tokens (the 4-byte prompt is 1, max_tokens 39) against 100 per minute.
 */
class ExtProcRateLimitTest {
  static final String POLICY =
      """
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: budgets, namespace: default}
      spec:
        targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: p}]
        rules:
        - name: per-tenant
          match: {tenant: "*", model: base}
          limits:
          - {tokens: 100, per: Minute}
          - {requests: 10, per: Minute}
      """;
  static final String TENANT = "x-gateway-inference-fairness-id";

  static Vertx vertx;
  static StubModelServer server;
  static PickerServer picker;
  static GrpcClient client;
  static Context context;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setModels(List.of("base", "lora-a"));
    String yaml =
        Manifests.pool("p", server.port()) + Manifests.pod("p-0", "p", "127.0.0.1", true) + POLICY;
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                ExtProcPickers.options(yaml)
                    .setRateLimit(
                        new RateLimitOptions()
                            .setClock(
                                Clock.fixed(
                                    Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC)))));
    client = GrpcStreams.tlsClient(vertx);
    context = vertx.getOrCreateContext();
    ExtProcPickers.awaitModels(vertx, picker);
  }

  @AfterAll
  static void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  /** One stream as Envoy runs it: the request phase, its answer, then the response headers. */
  static final class Stream {
    final List<ProcessingResponse> answers = new CopyOnWriteArrayList<>();
    final GrpcClientRequest<ProcessingRequest, ProcessingResponse> request;

    Stream(String tenant, String model) {
      Promise<GrpcClientRequest<ProcessingRequest, ProcessingResponse>> opened = Promise.promise();
      String json = "{\"model\":\"" + model + "\",\"prompt\":\"abcd\",\"max_tokens\":39}";
      context.runOnContext(
          v ->
              client
                  .request(
                      SocketAddress.inetSocketAddress(picker.extProcPort(), "127.0.0.1"),
                      ExtProcMessages.CLIENT_PROCESS)
                  .map(
                      req -> {
                        req.response().onSuccess(resp -> resp.handler(answers::add));
                        req.write(ExtProcServerTest.headers(false, TENANT, tenant));
                        req.write(ExtProcServerTest.body(json, true));
                        return req;
                      })
                  .onComplete(opened));
      request = Await.result(opened.future());
    }

    /** The request phase's answers: the pick (headers, then the body) or an ImmediateResponse. */
    ProcessingResponse picked() {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  answers.size() >= 2
                      || (!answers.isEmpty() && answers.get(0).hasImmediateResponse()));
      return answers.get(0);
    }

    /** Sends the upstream's response headers; returns the answer to them. */
    ProcessingResponse responseHeaders() {
      int before = answers.size();
      context.runOnContext(
          v ->
              request.write(
                  ProcessingRequest.newBuilder()
                      .setResponseHeaders(HttpHeaders.getDefaultInstance())
                      .build()));
      await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() > before);
      return answers.get(before);
    }

    void end() {
      context.runOnContext(v -> request.end());
    }
  }

  static Map<String, String> setHeaders(List<HeaderValueOption> options) {
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach(o -> out.put(o.getHeader().getKey(), ExtProcMessages.valueOf(o.getHeader())));
    return out;
  }

  static Map<String, String> clientHeaders(ProcessingResponse answer) {
    assertThat(answer.hasResponseHeaders()).isTrue();
    return setHeaders(
        answer.getResponseHeaders().getResponse().getHeaderMutation().getSetHeadersList());
  }

  @Test
  void admittedRequestsGetTheHeadersOnTheResponseAndOneOverItsBudgetA429WithThem() {
    Stream first = new Stream("tenant-a", "base");
    assertThat(first.picked().hasRequestHeaders()).isTrue();
    assertThat(clientHeaders(first.responseHeaders()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "x-ratelimit-limit-tokens", "100",
                "x-ratelimit-remaining-tokens", "60",
                "x-ratelimit-reset-tokens", "24s",
                "x-ratelimit-limit-requests", "10",
                "x-ratelimit-remaining-requests", "9",
                "x-ratelimit-reset-requests", "6s"));
    first.end();

    Stream second = new Stream("tenant-a", "base");
    assertThat(second.picked().hasRequestHeaders()).isTrue();
    assertThat(clientHeaders(second.responseHeaders()))
        .containsEntry("x-ratelimit-remaining-tokens", "20")
        .containsEntry("x-ratelimit-reset-tokens", "48s")
        .containsEntry("x-ratelimit-remaining-requests", "8");
    second.end();

    Stream third = new Stream("tenant-a", "base");
    ProcessingResponse refused = third.picked();
    assertThat(refused.hasImmediateResponse()).isTrue();
    ImmediateResponse immediate = refused.getImmediateResponse();
    assertThat(immediate.getStatus().getCodeValue()).isEqualTo(429);
    assertThat(setHeaders(immediate.getHeaders().getSetHeadersList()))
        .containsEntry("content-type", "application/json")
        .containsEntry("retry-after", "12")
        .containsEntry("x-ratelimit-limit-tokens", "100")
        .containsEntry("x-ratelimit-remaining-tokens", "20")
        .containsEntry("x-ratelimit-reset-tokens", "48s")
        .containsEntry("x-ratelimit-remaining-requests", "8");
    JsonObject error = new JsonObject(immediate.getBody().toStringUtf8()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(error.getString("type")).isEqualTo("tokens");
    assertThat(error.getString("message"))
        .startsWith("Rate limit reached for tokens per min (TPM) of rule per-tenant")
        .contains("Limit 100, Used 80, Requested 40");
    third.end();
  }

  @Test
  void aRequestNoRuleCountsGetsNoHeaders() {
    Stream stream = new Stream("tenant-b", "lora-a");
    assertThat(stream.picked().hasRequestHeaders()).isTrue();
    ProcessingResponse answer = stream.responseHeaders();
    assertThat(answer)
        .isEqualTo(ExtProcMessages.proceed(ProcessingRequest.RequestCase.RESPONSE_HEADERS));
    stream.end();
  }
}
