package io.igw.picker.models;

import static io.igw.picker.models.ModelCatalogTest.LLAMA;
import static io.igw.picker.models.ModelCatalogTest.adapter;
import static io.igw.picker.models.ModelCatalogTest.base;
import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.time.ManualClock;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.ModelCard;
import io.igw.picker.datastore.PoolDefinition;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.ServedModels;
import io.igw.picker.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model list routes over real HTTP, on a datastore the test fills. */
class ModelsApiTest {
  static final PoolName CHAT = new PoolName("team-a", "chat");
  static final PoolName OTHER = new PoolName("team-b", "other");
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final Vertx vertx = Vertx.vertx();
  private final Datastore datastore = new Datastore();
  private final ManualClock now = new ManualClock(1_000_000);
  private HttpServer server;

  @BeforeEach
  void start() {
    serve(CHAT, base(LLAMA, 10), adapter("food-review-1", LLAMA, 11));
    serve(OTHER, base("other-model", 20));
    Router router = Router.router(vertx);
    new ModelsApi(new ModelCatalog(datastore), now, 1000).mount(router);
    server = Await.result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void listsThePoolsOfTheHeaderInOpenAisShape() throws Exception {
    HttpResponse<String> r = get("/models", "team-a/chat");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("object")).isEqualTo("list");
    JsonArray data = body.getJsonArray("data");
    assertThat(data.stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly(LLAMA, "food-review-1");
    JsonObject lora = data.getJsonObject(1);
    assertThat(lora.getString("object")).isEqualTo("model");
    assertThat(lora.getString("parent")).isEqualTo(LLAMA);
    assertThat(lora.getLong("created")).isEqualTo(11);
    assertThat(lora.getString("owned_by")).isEqualTo("vllm");
    assertThat(lora.containsKey("max_model_len")).isTrue();
  }

  @Test
  void aPoolNotInTheHeaderIsNotShown() throws Exception {
    assertThat(get("/models", "team-a/chat").body()).doesNotContain("other-model");
    assertThat(get("/models/other-model", "team-a/chat").statusCode()).isEqualTo(404);
    assertThat(get("/models/other-model", "team-a/chat,team-b/other").statusCode()).isEqualTo(200);
    // no header: no pools, an empty list (NGINX always sets it; a client cannot reach this port)
    assertThat(new JsonObject(get("/models", null).body()).getJsonArray("data")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/models/" + LLAMA,
        "/models/meta-llama%2FLlama-3.1-8B-Instruct",
        "/models/meta-llama%2fLlama-3.1-8B-Instruct"
      })
  void answersOneModelByIdWhateverTheSlashLooksLike(String path) throws Exception {
    HttpResponse<String> r = get(path, "team-a/chat");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("id")).isEqualTo(LLAMA);
    assertThat(new JsonObject(r.body()).getString("object")).isEqualTo("model");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/models/no-such-model",
        "/models/",
        "/models/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/models/%0d%0ax-injected:%201",
        "/models/%00",
        "/models/%22%7D%2C%7B%22id%22",
        "/models/%E2%80%A8",
        "/models/%C0%AF",
      })
  void anUnknownOrHostileIdIs404InOpenAisShapeAndNeverEchoed(String path) throws Exception {
    HttpResponse<String> r = get(path, "team-a/chat");
    assertThat(r.statusCode()).isEqualTo(404);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("model_not_found");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.containsKey("param")).isTrue();
    assertThat(r.body()).doesNotContain("script", "injected", "no-such-model", "%");
    assertThat(r.headers().map()).doesNotContainKey("x-injected");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/models/%", "/models/food-review-1%", "/models/%zz", "/models/a%2"})
  void aBrokenEscapeIs404(String path) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.actualPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\n"
                      + ModelsApi.POOLS_HEADER
                      + ": team-a/chat\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 404").contains("\"code\":\"model_not_found\"");
    }
  }

  @Test
  void aHugeIdIs404() throws Exception {
    HttpResponse<String> r = get("/models/" + "a".repeat(3000), "team-a/chat");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).doesNotContain("aaaa");
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
  void anotherMethodIs405InOpenAisShape(String method) throws Exception {
    for (String path : List.of("/models", "/models/" + LLAMA)) {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(uri(path))
                  .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                  .header(ModelsApi.POOLS_HEADER, "team-a/chat")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).hasValue("GET");
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code"))
          .isEqualTo("method_not_allowed");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"team-a", "team-a/chat,", ",team-a/chat", "a/b/c", "/x", "x/"})
  void aMalformedPoolsHeaderIs400(String header) throws Exception {
    HttpResponse<String> r = get("/models", header);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
  }

  @Test
  void aListIsReusedForItsCacheTimeThenBuiltAgain() throws Exception {
    assertThat(get("/models", "team-a/chat").body()).doesNotContain("food-review-2");
    serve(CHAT, base(LLAMA, 10), adapter("food-review-2", LLAMA, 12));
    now.advance(999);
    assertThat(get("/models", "team-a/chat").body()).doesNotContain("food-review-2");
    // the same pools in another order are the same list
    assertThat(get("/models", "team-a/chat,team-a/chat").body()).doesNotContain("food-review-2");
    now.advance(1);
    assertThat(get("/models", "team-a/chat").body()).contains("food-review-2");
  }

  private void serve(PoolName pool, ModelCard... cards) {
    datastore.upsert(
        new PoolDefinition(
            pool,
            null,
            List.of(Endpoint.of(pool, "pod", "127.0.10." + pool.name().length(), 8000, null))));
    datastore.pool(pool).endpoints().get(0).recordModels(ServedModels.of(List.of(cards), 0));
  }

  private HttpResponse<String> get(String path, String pools) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (pools != null) {
      request.header(ModelsApi.POOLS_HEADER, pools);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }
}
