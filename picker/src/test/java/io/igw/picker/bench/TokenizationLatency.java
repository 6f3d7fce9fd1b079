package io.igw.picker.bench;

import io.igw.picker.core.OpenAiParser;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.scheduling.PluginResources;
import io.igw.picker.scheduling.ProduceRequest;
import io.igw.picker.scheduling.ProducedData;
import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.TokenizedPrompt;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.scheduling.plugins.TokenProducer;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.LetterTokenizerJson;
import io.igw.picker.tokens.ChatTemplate;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the token producer adds to a pick (not a test): p50/p99 of {@code produce} for chat prompts
 * of 4 KB and 32 KB, every prompt new (the cache off), in render mode (a simulator's {@code
 * /v1/chat/completions/render} on loopback, its tokenizer the same file) and in local mode (the
 * same tokenizer.json in process), then a cache hit. The tokenizer: {@code IGW_QWEN3_TOKENIZER}
 * (Qwen3's real tokenizer.json) when set, else a tiny letters-only BPE.
 *
 * <pre>
 * mvn -B -q -o -pl picker -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
 *     -Dmdep.includeScope=test
 * cd picker && java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.igw.picker.bench.TokenizationLatency
 * </pre>
 */
public final class TokenizationLatency {
  private static final String MODEL = "bench-model";
  private static final int ROUNDS = 300;

  public static void main(String[] args) throws Exception {
    String qwen = System.getenv("IGW_QWEN3_TOKENIZER");
    Path tokenizer =
        qwen != null ? Path.of(qwen) : LetterTokenizerJson.write(Files.createTempDirectory("tok"));
    System.out.println(
        "tokenizer="
            + tokenizer
            + " load="
            + Files.readString(Path.of("/proc/loadavg")).trim()
            + " cpus="
            + Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx();
    SimulatorServer server =
        Await.result(
            SimulatorServer.start(
                vertx,
                new SimulatorOptions()
                    .setModel(MODEL)
                    .setPort(0)
                    .setTokenizer(tokenizer.toString())
                    .setProfile("qwen3-32b-h100-tp2")));
    EndpointState endpoint =
        new EndpointState(
            Endpoint.of(new PoolName("default", "bench"), "pod", "127.0.0.1", server.port(), null));
    for (int kb : new int[] {4, 32}) {
      for (TokenProducer.Mode mode : TokenProducer.Mode.values()) {
        TokenProducer producer =
            new TokenProducer(
                new TypedName(TokenProducer.TYPE, "bench"),
                new TokenProducer.Params(
                    mode, 5_000, tokenizer.toString(), ChatTemplate.CHATML, 0, 0));
        Await.result(producer.start(new PluginResources(vertx, List::of, Clock.systemUTC())));
        measure(vertx, producer, endpoint, kb, mode.name().toLowerCase(), qwen != null);
        Await.result(producer.stop());
      }
      TokenProducer cached =
          new TokenProducer(
              new TypedName(TokenProducer.TYPE, "bench"),
              new TokenProducer.Params(
                  TokenProducer.Mode.RENDER, 5_000, null, ChatTemplate.CHATML, 4096, 10_000_000));
      Await.result(cached.start(new PluginResources(vertx, List::of, Clock.systemUTC())));
      measure(vertx, cached, endpoint, kb, "render-cache-hit", qwen != null);
      Await.result(cached.stop());
    }
    Await.result(server.close());
    Await.result(vertx.close());
  }

  private static void measure(
      Vertx vertx,
      TokenProducer producer,
      EndpointState endpoint,
      int kb,
      String label,
      boolean anyText) {
    long[] nanos = new long[ROUNDS];
    int tokens = 0;
    Context context = vertx.getOrCreateContext();
    JsonObject same = chat(kb, 0, anyText);
    for (int round = -30; round < ROUNDS; round++) {
      JsonObject body = label.endsWith("cache-hit") ? same : chat(kb, round + 100, anyText);
      PromptBytes prompt = OpenAiParser.parse("/v1/chat/completions", body).promptBytes();
      ProducedData data = new ProducedData();
      Promise<Long> took = Promise.promise();
      context.runOnContext(
          v -> {
            long start = System.nanoTime();
            Future<Void> done =
                producer.produce(
                    new ProduceRequest(
                        "/v1/chat/completions", true, () -> body, MODEL, prompt, List.of(endpoint)),
                    data);
            done.onComplete(r -> took.complete(System.nanoTime() - start));
          });
      long elapsed = Await.result(took.future());
      if (round >= 0) {
        nanos[round] = elapsed;
        TokenizedPrompt produced = data.get(TokenizedPrompt.class);
        tokens = produced == null ? -1 : produced.tokenIds().length;
      }
    }
    Arrays.sort(nanos);
    System.out.printf(
        "%-18s %3d KB  tokens=%6d  p50=%8.3f ms  p99=%8.3f ms%n",
        label, kb, tokens, nanos[ROUNDS / 2] / 1e6, nanos[ROUNDS * 99 / 100] / 1e6);
  }

  /** A system prompt and a question of {@code kb} KB together, different for every seed. */
  private static JsonObject chat(int kb, int seed, boolean anyText) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] words =
        anyText
            ? new String[] {
              "gateway",
              "routes",
              "the",
              "request",
              "to",
              "a",
              "server",
              "whose",
              "cache",
              "holds",
              "its",
              "prefix,",
              "Qwen",
              "tokens",
              "42",
              "KV-cache"
            }
            : new String[] {"low", "lower", "the", "tower", "slow", "mist", "rest", "term"};
    StringBuilder text = new StringBuilder();
    while (text.length() < kb * 1024 - 64) {
      text.append(words[random.nextInt(words.length)]).append(' ');
    }
    return new JsonObject()
        .put("model", MODEL)
        .put(
            "messages",
            new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", text.toString()))
                .add(new JsonObject().put("role", "user").put("content", "the question")));
  }
}
