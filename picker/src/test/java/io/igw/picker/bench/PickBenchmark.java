package io.igw.picker.bench;

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
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One pick: 100 endpoints, a 4 KB chat prompt (one of 32 shared system prompts plus a unique
 * question), the default and the reference profiles. {@code pickFromBody} includes the JSON parse
 * of the body the pick API does. Run from the repository root; in one reactor build the classpath
 * names the sibling modules' classes, so nothing has to be installed into the local repository:
 *
 * <pre>
 * mvn -B -q -pl picker -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd picker &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     org.openjdk.jmh.Main PickBenchmark -bm sample -prof gc
 * </pre>
 *
 * {@code -prof gc} adds the bytes allocated per pick ({@code gc.alloc.rate.norm}); {@code -p
 * preset=default} runs the default profile alone. On a shared machine, note the load average with
 * the numbers: they move with it.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PickBenchmark {
  static final PoolName POOL = new PoolName("default", "bench");
  static final int ENDPOINTS = 100;
  static final int PROMPTS = 256;

  @Param({"default", "reference"})
  String preset;

  Director director;
  List<Buffer> bodies;
  List<JsonObject> parsed;
  List<EndpointState> states;
  MultiMap headers;
  int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < ENDPOINTS; i++) {
      endpoints.add(
          Endpoint.of(POOL, "pod-" + i, "10.0." + (i / 250) + "." + (i % 250 + 1), 8000, null));
    }
    Datastore datastore = new Datastore();
    datastore.replaceAll(List.of(new PoolDefinition(POOL, null, endpoints)));
    states = datastore.pool(POOL).endpoints();
    for (EndpointState state : states) {
      state.recordScrape(
          new MetricsSnapshot(
              random.nextInt(5),
              random.nextInt(20),
              random.nextDouble(),
              Set.of(),
              Set.of(),
              0,
              16,
              30_000,
              Long.MAX_VALUE / 2,
              0),
          0);
    }
    bodies = new ArrayList<>();
    for (int i = 0; i < PROMPTS; i++) {
      String system =
          ("You are assistant number " + (i % 32) + ". ").repeat(200).substring(0, 3600);
      String question = "Question " + i + ": " + "what is the answer? ".repeat(25);
      JsonArray messages =
          new JsonArray()
              .add(new JsonObject().put("role", "system").put("content", system))
              .add(new JsonObject().put("role", "user").put("content", question.substring(0, 400)));
      bodies.add(
          new JsonObject()
              .put("model", "meta-llama/Llama-3.1-8B-Instruct")
              .put("messages", messages)
              .put("max_tokens", 64)
              .toBuffer());
    }
    parsed = bodies.stream().map(Buffer::toJsonObject).toList();
    director =
        new Director(
            datastore,
            EndpointPickerConfigLoader.preset(preset),
            new InFlightTracker(60_000),
            new PickOptions()
                .setRandom(RandomSource.of(random))
                .setStaleAfterMs(Long.MAX_VALUE / 4));
    headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("content-type", "application/json")
            .add("x-igw-request-id", "bench");
  }

  /** What the pick API does per request: check and parse the body, then pick. */
  @Benchmark
  public PickResult pickFromBody() {
    return pick(PickBody.of(bodies.get(next++ & (PROMPTS - 1))));
  }

  /** The pick alone (director, OpenAI parser, scheduler), on an already parsed body. */
  @Benchmark
  public PickResult pickParsed() {
    return pick(PickBody.of(parsed.get(next++ & (PROMPTS - 1))));
  }

  private PickResult pick(PickBody body) {
    if ((next & 1023) == 0) {
      for (EndpointState state : states) { // a scrape now and then, as the collector would
        state.recordScrape(state.metrics(), state.picksIssued());
      }
    }
    return director
        .pick(new PickRequest(POOL, "/v1/chat/completions", "POST", body, headers, "bench", null))
        .result();
  }
}
