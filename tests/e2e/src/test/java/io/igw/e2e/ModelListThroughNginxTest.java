package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's own {@code /v1/models} through real NGINX, the picker and simulated vLLM servers:
 * two pools, three host names whose routes reach one pool, the other, or both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelListThroughNginxTest {
  static final String LORA = "food-review-1";
  static final String CODER = "Qwen/Qwen2.5-Coder-7B-Instruct";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private GatewayStack stack;
  private GatewayStack withoutPicker;

  /**
   * chat (servers 0, 1: the base model, the adapter on both) and code (server 2: the coder, server
   * 3: the base model too); a rewrite name in chat, an InferenceModel in code.
   */
  static String manifests(int port) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: igw}
            spec: {controllerName: igw.io/gateway-controller}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              gatewayClassName: igw
              listeners:
              - {name: chat, protocol: HTTP, port: 80, hostname: chat.test}
              - {name: code, protocol: HTTP, port: 80, hostname: code.test}
              - {name: all, protocol: HTTP, port: 80, hostname: all.test}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: chat, namespace: default}
            spec:
              parentRefs: [{name: gw, sectionName: chat}]
              rules:
              - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: code, namespace: default}
            spec:
              parentRefs: [{name: gw, sectionName: code}]
              rules:
              - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: code}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: all, namespace: default}
            spec:
              parentRefs: [{name: gw, sectionName: all}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /v1/chat}}]
                backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat}]
              - matches: [{path: {type: PathPrefix, value: /v1/completions}}]
                backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: code}]
            ---
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceModelRewrite
            metadata: {name: chat-alias, namespace: default}
            spec:
              poolRef: {name: chat}
              rules: [{matches: [{model: {value: reviews}}], targets: [{modelRewrite: %s}]}]
            ---
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceModel
            metadata: {name: coder, namespace: default}
            spec:
              modelName: coder
              poolRef: {name: code}
              targetModels: [{name: %s}]
            """
                .formatted(LORA, CODER));
    for (String pool : List.of("chat", "code")) {
      yaml.append(
          """
          ---
          apiVersion: inference.networking.k8s.io/v1
          kind: InferencePool
          metadata: {name: %s, namespace: default}
          spec:
            selector: {matchLabels: {app: %s}}
            targetPorts: [{number: %d}]
            endpointPickerRef: {name: picker, port: {number: 9002}, failureMode: FailClose}
          """
              .formatted(pool, pool, port));
    }
    for (int i = 0; i < 4; i++) {
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: sim-%d, namespace: default, labels: {app: %s}}
          status:
            podIP: %s
            conditions: [{type: Ready, status: "True"}]
          """
              .formatted(i, i < 2 ? "chat" : "code", GatewayStack.serverIp(i)));
    }
    return yaml.toString();
  }

  @BeforeAll
  void start() throws Exception {
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(LORA), List.of(LORA), List.of(), List.of()))
                .perServer((i, o) -> i == 2 ? o.setModel(CODER) : o)
                .allManifests(ModelListThroughNginxTest::manifests));
    withoutPicker = GatewayStack.start(new GatewayStack.Options().echo().withoutPicker());
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
    if (withoutPicker != null) {
      withoutPicker.close();
    }
  }

  @Test
  void eachHostListsWhatItsRoutesReachOnceEach() throws Exception {
    assertThat(ids(list("chat.test"))).containsExactly(BASE_MODEL, LORA, "reviews");
    assertThat(ids(list("code.test"))).containsExactly(CODER, BASE_MODEL, "coder");
    // both pools serve the base model: listed once
    assertThat(ids(list("all.test"))).containsExactly(CODER, BASE_MODEL, LORA, "coder", "reviews");
  }

  @Test
  void theListHasOpenAisShapeWithVllmsFields() throws Exception {
    HttpResponse<String> r = get("chat.test", "/v1/models", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("object")).isEqualTo("list");
    Map<String, JsonObject> byId = byId(body);
    JsonObject base = byId.get(BASE_MODEL);
    assertThat(base.getString("object")).isEqualTo("model");
    assertThat(base.getLong("created")).isPositive();
    assertThat(base.getString("owned_by")).isEqualTo("vllm");
    assertThat(base.getString("root")).isEqualTo(BASE_MODEL);
    assertThat(base.getValue("parent")).isNull();
    assertThat(base.getLong("max_model_len")).isEqualTo(131072L);
    JsonObject lora = byId.get(LORA);
    assertThat(lora.getString("parent")).isEqualTo(BASE_MODEL);
    JsonObject alias = byId.get("reviews");
    assertThat(alias.getString("parent")).isEqualTo(LORA);
    assertThat(alias.getString("owned_by")).isEqualTo("igw");
  }

  @Test
  void oneModelByIdAsTheOfficialClientAsksForIt() throws Exception {
    // openai-python's client.models.retrieve(id): GET {base_url}/models/{id}, with its headers
    Map<String, String> client =
        Map.of(
            "authorization", "Bearer sk-anything",
            "accept", "application/json",
            "user-agent", "OpenAI/Python 3.22.1");
    for (String path :
        List.of(
            "/v1/models/" + BASE_MODEL,
            "/v1/models/meta-llama%2FLlama-3.1-8B-Instruct",
            "/v1/models/meta-llama//Llama-3.1-8B-Instruct")) {
      HttpResponse<String> r = get("all.test", path, client);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getString("id")).isEqualTo(BASE_MODEL);
      assertThat(new JsonObject(r.body()).getString("object")).isEqualTo("model");
    }
    JsonObject coder = new JsonObject(get("code.test", "/v1/models/coder", client).body());
    assertThat(coder.getString("parent")).isEqualTo(CODER);
  }

  @Test
  void aModelOfAPoolTheHostDoesNotReachIs404() throws Exception {
    assertNotFound(get("chat.test", "/v1/models/coder", Map.of()));
    assertNotFound(get("chat.test", "/v1/models/" + CODER, Map.of()));
    assertNotFound(get("code.test", "/v1/models/" + LORA, Map.of()));
    assertThat(list("chat.test").encode()).doesNotContain(CODER, "coder");
  }

  @Test
  void aClientCannotNameThePoolsItself() throws Exception {
    HttpResponse<String> r =
        get(
            "chat.test",
            "/v1/models?pools=default/code",
            Map.of("x-igw-models-pools", "default/code"));
    assertThat(ids(new JsonObject(r.body()))).containsExactly(BASE_MODEL, LORA, "reviews");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/models/no-such-model",
        "/v1/models/",
        "/v1/models/%3Cscript%3Ealert(1)%3C/script%3E",
        "/v1/models/%0d%0aset-cookie:%20x=1",
        "/v1/models/%22%7D,%7B%22id%22:%22x",
        "/v1/models/%E2%80%A8",
        "/v1/models/%C0%AF",
        "/v1/models/%FF",
        "/v1/models/caf\u00e9",
        "/v1/models/a?x=%00",
      })
  void anUnknownOrHostileIdIs404InOpenAisShapeNeverEchoed(String path) throws Exception {
    Raw r = raw("chat.test", "GET " + path + " HTTP/1.1");
    assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(404);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("model_not_found");
    assertThat(r.text()).doesNotContain("script", "set-cookie", "no-such-model", "café");
  }

  @Test
  void aHugeIdIs404AndOnePastNginxsBuffersIs414() throws Exception {
    Raw huge = raw("chat.test", "GET /v1/models/" + "%41".repeat(2000) + " HTTP/1.1");
    assertThat(huge.status()).isEqualTo(404);
    assertThat(huge.text()).doesNotContain("AAAA", "%41");
    Raw tooLong = raw("chat.test", "GET /v1/models/" + "a".repeat(20_000) + " HTTP/1.1");
    assertThat(tooLong.status()).isEqualTo(414);
    assertThat(new JsonObject(tooLong.body()).getJsonObject("error").getString("code"))
        .isEqualTo("uri_too_long");
  }

  @Test
  void aBrokenEscapeIsNginxsOwn400InOpenAisShape() throws Exception {
    Raw r = raw("chat.test", "GET /v1/models/%zz HTTP/1.1");
    assertThat(r.status()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code"))
        .isEqualTo("bad_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
  void anotherMethodIs405InOpenAisShape(String method) throws Exception {
    for (String path : List.of("/v1/models", "/v1/models/" + BASE_MODEL)) {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.gatewayPort() + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("host", "chat.test")
                  .header("content-type", "application/json")
                  .method(method, HttpRequest.BodyPublishers.ofString("{\"model\":\"x\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).hasValue("GET");
      if (!method.equals("HEAD")) {
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code"))
            .isEqualTo("method_not_allowed");
      }
    }
  }

  @Test
  void withoutAPickerTheListIs503InOpenAisShape() throws Exception {
    for (String path : List.of("/v1/models", "/v1/models/" + BASE_MODEL)) {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + withoutPicker.gatewayPort() + path))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(Http.openAiError(r).getString("code")).isEqualTo("picker_unavailable");
    }
  }

  @Test
  void routedRequestsStillWorkBesideTheList() throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + stack.gatewayPort() + "/v1/completions"))
                .header("host", "code.test")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.completion("coder", 2)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Http.servedBy(r)).isEqualTo("server-2");
  }

  private static void assertNotFound(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    assertThat(Http.openAiError(r).getString("code")).isEqualTo("model_not_found");
  }

  private JsonObject list(String host) throws Exception {
    HttpResponse<String> r = get(host, "/v1/models", Map.of());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private HttpResponse<String> get(String host, String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.gatewayPort() + path))
            .timeout(Duration.ofSeconds(10))
            .header("host", host)
            .GET();
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request line Java's client would refuse to send, over a plain socket. */
  private Raw raw(String host, String requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", stack.gatewayPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              (requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
      String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Raw(Integer.parseInt(text.substring(9, 12)), text);
    }
  }

  private record Raw(int status, String text) {
    String body() {
      return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
  }

  private static List<String> ids(JsonObject list) {
    JsonArray data = list.getJsonArray("data");
    return data.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static Map<String, JsonObject> byId(JsonObject list) {
    return list.getJsonArray("data").stream()
        .map(o -> (JsonObject) o)
        .collect(Collectors.toMap(o -> o.getString("id"), o -> o));
  }
}
