package io.igw.bench.live;

import io.igw.bench.report.RequestOutcome;
import io.igw.bench.workload.WorkloadRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * One request's life as the client sees it, fed line by line from the response: the first {@code
 * data:} chunk with a choice is the first token, each such chunk a token, the usage chunk gives the
 * cached prompt tokens, and {@code data: [DONE]} the end. A non-streamed answer is one JSON body.
 * Times are wall-clock nanoseconds.
 */
final class StreamedRequest implements Flow.Subscriber<String> {
  private final WorkloadRequest request;
  private final long sentNanos;
  private final LongConsumer tokenAt;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private volatile int status;
  private volatile String servedBy;
  private long firstTokenNanos;
  private long lastTokenNanos;
  private int tokens;
  private int cachedTokens = -1;
  private int promptTokens;
  private final StringBuilder body = new StringBuilder();
  private volatile boolean abandoned;
  private volatile boolean finished;

  StreamedRequest(WorkloadRequest request, long sentNanos, LongConsumer tokenAt) {
    this.request = request;
    this.sentNanos = sentNanos;
    this.tokenAt = tokenAt;
    this.promptTokens = request.prompt().tokens();
  }

  void headers(int statusCode, String servedByHeader) {
    status = statusCode;
    servedBy = servedByHeader;
  }

  CompletableFuture<Void> done() {
    return done;
  }

  String servedBy() {
    return servedBy;
  }

  /**
   * The client gives up (its timeout): stop reading; the connection closes and the server drops the
   * request.
   */
  void abandon() {
    if (!finished) {
      abandoned = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      done.complete(null);
    }
  }

  /** The request failed before any answer (connection refused, reset, header timeout). */
  void failed(boolean timedOut) {
    if (timedOut) {
      abandoned = true;
    }
    done.complete(null);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public synchronized void onNext(String line) {
    if (status != 200 || !request.stream()) {
      body.append(line);
      return;
    }
    if (!line.startsWith("data: ")) {
      return;
    }
    if (line.equals("data: [DONE]")) {
      finished = true;
      return;
    }
    if (line.contains("\"choices\":[]") && line.contains("\"usage\"")) {
      readUsage(new JsonObject(line.substring(6)).getJsonObject("usage"));
      return;
    }
    long now = System.nanoTime();
    if (tokens == 0) {
      firstTokenNanos = now;
    }
    lastTokenNanos = now;
    tokens++;
    tokenAt.accept(now);
  }

  @Override
  public synchronized void onError(Throwable error) {
    done.complete(null);
  }

  @Override
  public synchronized void onComplete() {
    if (status == 200 && !request.stream() && body.length() > 0) {
      long now = System.nanoTime();
      JsonObject json = new JsonObject(body.toString());
      readUsage(json.getJsonObject("usage"));
      firstTokenNanos = now;
      lastTokenNanos = now;
      finished = true;
    }
    done.complete(null);
  }

  private void readUsage(JsonObject usage) {
    if (usage == null) {
      return;
    }
    promptTokens = usage.getInteger("prompt_tokens", promptTokens);
    if (!request.stream()) {
      tokens = usage.getInteger("completion_tokens", 0);
    }
    JsonObject details = usage.getJsonObject("prompt_tokens_details");
    if (details != null) {
      cachedTokens = details.getInteger("cached_tokens", -1);
    }
  }

  /**
   * The outcome in simulated seconds (timeScale × wall seconds); an abandoned TTFT is censored at
   * the timeout.
   */
  synchronized RequestOutcome outcome(int server, double timeScale, double timeoutSeconds) {
    double ttft = tokens > 0 ? seconds(firstTokenNanos - sentNanos, timeScale) : Double.NaN;
    if (status == 200 && finished && tokens > 0) {
      double e2e = seconds(lastTokenNanos - sentNanos, timeScale);
      double tpot =
          tokens > 1
              ? seconds(lastTokenNanos - firstTokenNanos, timeScale) / (tokens - 1)
              : Double.NaN;
      return new RequestOutcome(
          request.id(),
          request.step(),
          request.priority(),
          200,
          server,
          ttft,
          tpot,
          e2e,
          promptTokens,
          cachedTokens,
          tokens);
    }
    if (abandoned || (status == 200 && !finished)) {
      return new RequestOutcome(
          request.id(),
          request.step(),
          request.priority(),
          RequestOutcome.TIMED_OUT,
          server,
          Double.isNaN(ttft) ? timeoutSeconds : ttft,
          Double.NaN,
          Double.NaN,
          promptTokens,
          cachedTokens,
          tokens);
    }
    return RequestOutcome.refused(
        request.id(), request.step(), request.priority(), status, promptTokens);
  }

  private static double seconds(long nanos, double timeScale) {
    return nanos / 1e9 * timeScale;
  }
}
