package io.igw.bench.jmh;

import io.igw.picker.core.Director;
import io.igw.picker.core.PickBody;
import io.igw.picker.core.PickOptions;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.RandomSource;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.datastore.PoolDefinition;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One in-process pick as the pick API makes it: a 4 KB chat body from its bytes (so the parse is
 * counted), a pool of 100 endpoints with varied load, the {@code default} scheduler preset, then
 * the release that ends its in-flight count. Run with {@code ./igw bench jmh} (p50 from the sample
 * mode, bytes per pick from {@code -prof gc}: {@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PickBenchmark {
  static final PoolName POOL = new PoolName("default", "bench");
  static final int ENDPOINTS = 100;
  static final long NOW = 1_000_000;
  static final int PROMPT_BYTES = 4096;

  private Director director;

  /** Made once: the body's bytes arrive from the network, they are not the pick's allocation. */
  private Buffer body;

  private long picks;

  @Setup
  public void setUp() {
    Datastore datastore = new Datastore();
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < ENDPOINTS; i++) {
      // loopback only: 127.0.20.1 .. 127.0.20.100
      endpoints.add(Endpoint.of(POOL, "server-" + i, "127.0.20." + (i + 1), 8000, null));
    }
    datastore.upsert(new PoolDefinition(POOL, null, endpoints));
    List<EndpointState> states = datastore.pool(POOL).endpoints();
    for (int i = 0; i < states.size(); i++) {
      states
          .get(i)
          .recordScrape(
              new MetricsSnapshot(
                  i % 7, i % 5, (i % 10) / 20.0, Set.of(), Set.of(), 4, 16, 10_000, NOW, 0),
              states.get(i).picksIssued());
    }
    director =
        new Director(
            datastore,
            EndpointPickerConfigLoader.preset("default"),
            new InFlightTracker(60_000),
            new PickOptions()
                .setClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .setRandom(RandomSource.of(new SplittableRandom(1))));
    body = chatBody(PROMPT_BYTES);
  }

  /** A system prompt and a user turn of about {@code bytes} of text, with a few usual options. */
  static Buffer chatBody(int bytes) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < bytes - 240; i++) {
      text.append("Paragraph ").append(i).append(": the quick brown fox jumps over the lazy dog. ");
    }
    return new JsonObject()
        .put("model", "llama-8b")
        .put(
            "messages",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("role", "system")
                        .put("content", "You are a helpful assistant. Answer briefly and exactly."))
                .add(new JsonObject().put("role", "user").put("content", text.toString())))
        .put("max_tokens", 128)
        .put("temperature", 0.7)
        .put("stream", true)
        .toBuffer();
  }

  @Benchmark
  public PickResult pick() {
    PickRequest request =
        new PickRequest(
            POOL,
            "/v1/chat/completions",
            "POST",
            PickBody.of(body),
            MultiMap.caseInsensitiveMultiMap(),
            Long.toString(++picks),
            null);
    Future<PickResult> result = director.pick(request);
    director.release(request);
    if (result.failed()) {
      throw new IllegalStateException(result.cause());
    }
    return result.result();
  }
}
