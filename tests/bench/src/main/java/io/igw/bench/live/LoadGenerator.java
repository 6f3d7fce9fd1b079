package io.igw.bench.live;

import io.igw.bench.log.BenchLog;
import io.igw.bench.report.PolicyRun;
import io.igw.bench.report.RequestOutcome;
import io.igw.bench.workload.CompletionBody;
import io.igw.bench.workload.Headers;
import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.PromptText;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.WorkloadRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: sends each request of a sequence at its arrival time ({@code arrival / timeScale}
 * of wall time after the start, whatever is still in flight) as a {@code /v1/completions} call with
 * {@code max_tokens} and {@code ignore_eos}, reads the SSE stream as it comes (java.net.http, one
 * connection per request in flight) and abandons a request at its timeout. Results are in simulated
 * seconds.
 */
public final class LoadGenerator {
  static final String SERVED_BY_HEADER = "x-igw-served-by";

  private final double timeScale;
  private final double timeoutSeconds;
  private final Map<String, Integer> serverIndex;
  private final BenchLog progress;

  /** Writes prompts in the servers' tokenizer, so their token counts are the workload's. */
  private final PromptText promptText;

  /**
   * @param serverIndex server names (as the {@code x-igw-served-by} header gives them) to their
   *     index
   */
  public LoadGenerator(
      double timeScale,
      double timeoutSeconds,
      Map<String, Integer> serverIndex,
      PromptText promptText,
      BenchLog progress) {
    this.promptText = promptText;
    this.timeScale = timeScale;
    this.timeoutSeconds = timeoutSeconds;
    this.serverIndex = serverIndex;
    this.progress = progress;
  }

  public PolicyRun run(String policy, URI base, RequestSequence sequence)
      throws InterruptedException {
    LoadLadder ladder = sequence.ladder();
    AtomicLongArray tokensByStep = new AtomicLongArray(ladder.size());
    ExecutorService executor = Executors.newFixedThreadPool(4);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    URI uri = base.resolve(CompletionBody.PATH);
    List<StreamedRequest> streams = new ArrayList<>();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    long start = System.nanoTime() + 50_000_000L;
    double ladderEnd = ladder.totalSeconds();
    int lastStep = -1;
    try {
      for (WorkloadRequest request : sequence.requests()) {
        HttpRequest http = httpRequest(uri, request);
        long sendAt = start + (long) (request.arrivalSeconds() / timeScale * 1e9);
        long wait;
        while ((wait = sendAt - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        if (request.step() != lastStep) {
          lastStep = request.step();
          progress.event(
              "live_step",
              "policy",
              policy,
              "step",
              (lastStep + 1) + "/" + ladder.size(),
              "qps",
              ladder.step(lastStep).qps(),
              "in_flight",
              pending.stream().filter(f -> !f.isDone()).count());
        }
        StreamedRequest stream =
            new StreamedRequest(
                request,
                System.nanoTime(),
                now -> {
                  double simSeconds = (now - start) / 1e9 * timeScale;
                  if (simSeconds >= 0 && simSeconds < ladderEnd) {
                    tokensByStep.incrementAndGet(ladder.stepAt(simSeconds));
                  }
                });
        streams.add(stream);
        client
            .sendAsync(
                http,
                info -> {
                  stream.headers(
                      info.statusCode(), info.headers().firstValue(SERVED_BY_HEADER).orElse(null));
                  return HttpResponse.BodySubscribers.fromLineSubscriber(stream);
                })
            .whenComplete(
                (response, error) -> {
                  if (error != null) {
                    stream.failed(
                        error instanceof HttpTimeoutException
                            || error.getCause() instanceof HttpTimeoutException);
                  }
                });
        timer.schedule(
            stream::abandon, (long) (timeoutSeconds / timeScale * 1000), TimeUnit.MILLISECONDS);
        pending.add(stream.done());
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get((long) (timeoutSeconds / timeScale) + 30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      progress.event("live_incomplete", "policy", policy, "reason", String.valueOf(e));
    } finally {
      timer.shutdownNow();
      executor.shutdownNow();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    List<RequestOutcome> outcomes = new ArrayList<>();
    for (StreamedRequest s : streams) {
      Integer server = s.servedBy() == null ? null : serverIndex.get(s.servedBy());
      outcomes.add(s.outcome(server == null ? -1 : server, timeScale, timeoutSeconds));
    }
    long[] tokens = new long[ladder.size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = tokensByStep.get(i);
    }
    return new PolicyRun(policy, outcomes, tokens, wall);
  }

  /**
   * Warms a path up (JIT of the client, NGINX's njs, the picker, the servers): {@code count} short
   * requests, a few at a time. Their answers are not measured.
   */
  public void warmUp(URI base, String model, int count) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body =
        new JsonObject()
            .put("model", model)
            .put("prompt", "warm up ".repeat(50))
            .put("max_tokens", 2)
            .put("ignore_eos", true)
            .put("stream", true)
            .encode();
    List<CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.add(
          client.sendAsync(
              HttpRequest.newBuilder(base.resolve("/v1/completions"))
                  .header("content-type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding()));
      if (inFlight.size() == 8) {
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
        inFlight.clear();
      }
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private HttpRequest httpRequest(URI uri, WorkloadRequest request) {
    JsonObject body = CompletionBody.of(request, promptText.text(request.prompt()));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .header("content-type", "application/json")
            .timeout(Duration.ofMillis((long) (timeoutSeconds / timeScale * 1000)))
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (request.objective() != null) {
      builder.header(Headers.OBJECTIVE, request.objective());
    }
    return builder.build();
  }
}
