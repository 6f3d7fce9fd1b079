package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.TestPorts;
import io.igw.picker.core.OpenAiParser;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.PluginResources;
import io.igw.picker.scheduling.ProduceRequest;
import io.igw.picker.scheduling.ProducedData;
import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.TokenizedPrompt;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Endpoints;
import io.igw.picker.testing.LetterTokenizerJson;
import io.igw.picker.tokens.ChatTemplate;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token producer against the simulator's render endpoints (real HTTP, the simulator's own
 * tokenizer and chat template): render gives the ids the server's {@code /tokenize} gives, a chat's
 * leading messages are cached once seen, a server that is down or never answers leaves the tokens
 * out within the bound; local mode with the server's tokenizer.json gives the server's ids without
 * asking it.
 */
class TokenProducerTest {
  private static final String MODEL = "sim-model";

  /** A simulator profile whose chat template is ChatML (Qwen's). */
  private static final String CHATML_PROFILE = "qwen3-32b-h100-tp2";

  private final List<SimulatorServer> servers = new ArrayList<>();
  private Vertx vertx;
  private WebClient http;
  private TokenProducer producer;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    if (producer != null) {
      Await.result(producer.stop());
    }
    servers.forEach(s -> Await.result(s.close()));
    Await.result(vertx.close());
  }

  private EndpointState simulator(String tokenizer) {
    SimulatorServer server =
        Await.result(
            SimulatorServer.start(
                vertx,
                new SimulatorOptions()
                    .setModel(MODEL)
                    .setPort(0)
                    .setTokenizer(tokenizer)
                    .setProfile(CHATML_PROFILE)));
    servers.add(server);
    return endpoint(server.port());
  }

  private static EndpointState endpoint(int port) {
    return new EndpointState(Endpoint.of(Endpoints.POOL, "pod-" + port, "127.0.0.1", port, null));
  }

  private TokenProducer start(TokenProducer.Params params) {
    producer = new TokenProducer(new TypedName(TokenProducer.TYPE, TokenProducer.TYPE), params);
    Await.result(producer.start(new PluginResources(vertx, List::of, Clock.systemUTC())));
    return producer;
  }

  private static TokenProducer.Params render(long timeoutMillis) {
    return new TokenProducer.Params(
        TokenProducer.Mode.RENDER, timeoutMillis, null, ChatTemplate.CHATML, 100, 100_000);
  }

  private static JsonObject chat(String... contents) {
    JsonArray messages = new JsonArray();
    for (int i = 0; i < contents.length; i++) {
      messages.add(
          new JsonObject()
              .put("role", i == 0 ? "system" : i % 2 == 1 ? "user" : "assistant")
              .put("content", contents[i]));
    }
    return new JsonObject().put("model", MODEL).put("messages", messages).put("max_tokens", 1);
  }

  private TokenizedPrompt produce(JsonObject body, EndpointState... servers) {
    ProducedData data = new ProducedData();
    PromptBytes prompt = OpenAiParser.parse("/v1/chat/completions", body).promptBytes();
    Await.result(
        vertx
            .getOrCreateContext()
            .<Void>executeBlocking(() -> null)
            .compose(
                v ->
                    producer.produce(
                        new ProduceRequest(
                            "/v1/chat/completions",
                            true,
                            () -> body,
                            MODEL,
                            prompt,
                            List.of(servers)),
                        data)));
    return data.get(TokenizedPrompt.class);
  }

  private int[] tokenize(EndpointState server, JsonObject body) {
    JsonArray ids =
        Await.result(
                http.post(server.endpoint().port(), "127.0.0.1", "/tokenize").sendJsonObject(body))
            .bodyAsJsonObject()
            .getJsonArray("tokens");
    return ids.stream().mapToInt(id -> ((Number) id).intValue()).toArray();
  }

  @Test
  void renderGivesTheServersOwnTokensAndASharedSystemPromptIsRenderedOnce() {
    EndpointState server = simulator(null);
    start(render(10_000));
    String system =
        "You are the support assistant of a gateway company. Answer briefly. ".repeat(12);
    JsonObject first = chat(system, "How do I rotate my keys?");

    TokenizedPrompt tokens = produce(first, server);

    assertThat(tokens.source()).isEqualTo("render");
    assertThat(tokens.tokenIds()).isEqualTo(tokenize(server, first));
    assertThat(produce(first, server).source()).isEqualTo("cache");
    JsonObject second = chat(system, "What is a pool?");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> produce(second, server).source().equals("render-prefix"));
    TokenizedPrompt lead = produce(chat(system, "Something else entirely"), server);
    int[] full = tokenize(server, second);
    assertThat(lead.complete()).isFalse();
    assertThat(lead.tokenIds().length).isGreaterThan(system.length() / 8).isLessThan(full.length);
    assertThat(lead.tokenIds()).isEqualTo(Arrays.copyOf(full, lead.tokenIds().length));
  }

  @Test
  void aServerThatIsDownOrNeverAnswersLeavesTheTokensOut() {
    start(render(300));
    assertThat(produce(chat("sys", "hi"), endpoint(TestPorts.take()))).isNull();
    HttpServer silent =
        Await.result(vertx.createHttpServer().requestHandler(request -> {}).listen(0, "127.0.0.1"));

    assertThat(produce(chat("sys", "hello"), endpoint(silent.actualPort()))).isNull();

    assertThat(producer.stats().failed()).isEqualTo(1);
    assertThat(producer.stats().timedOut()).isEqualTo(1);
    Await.result(silent.close());
  }

  @Test
  void localModeGivesTheServersTokensWithTheSameTokenizerJson(@TempDir Path dir) throws Exception {
    Path file = LetterTokenizerJson.write(dir);
    EndpointState server = simulator(file.toString());
    start(
        new TokenProducer.Params(
            TokenProducer.Mode.LOCAL, 10_000, file.toString(), ChatTemplate.CHATML, 100, 100_000));
    JsonObject body = chat("the slow lower tower\nthe end", "low the other", "err");

    TokenizedPrompt tokens = produce(body);

    assertThat(tokens.source()).isEqualTo("local");
    assertThat(tokens.tokenIds()).isEqualTo(tokenize(server, body)).hasSizeGreaterThan(20);
  }

  @Test
  void localModeTokenizesOffThePickingThreadWithinItsBound(@TempDir Path dir) throws Exception {
    Path file = LetterTokenizerJson.write(dir);
    start(
        new TokenProducer.Params(
            TokenProducer.Mode.LOCAL, 1, file.toString(), ChatTemplate.CHATML, 100, 100_000_000));
    // hundreds of thousands of letters take far longer than the 1 ms bound: the pick goes on
    // without them
    JsonObject body = chat("the slow lower tower ".repeat(20_000), "err");

    assertThat(produce(body)).isNull();
    assertThat(producer.stats().timedOut()).isEqualTo(1);
    // the late result still lands in the cache, so the next pick of that prompt has it
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> produce(body) != null);
    assertThat(produce(body).source()).isEqualTo("cache");
  }
}
