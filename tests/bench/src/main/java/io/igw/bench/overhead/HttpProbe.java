package io.igw.bench.overhead;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Completions (by default small non-streamed ones, {@code max_tokens} 1) against one URL:
 * closed-loop (N connections as fast as they go: throughput) or open-loop at a fixed rate (latency
 * percentiles, whatever the answers take). Every answer is read to its end.
 */
final class HttpProbe implements AutoCloseable {
  static final String BODY =
      "{\"model\":\"%s\",\"prompt\":\"Say hello\",\"max_tokens\":1,\"ignore_eos\":true}";

  /** What one probe measured over {@code seconds}. Latencies in milliseconds (µs histogram). */
  record Result(
      double requestsPerSecond,
      long ok,
      long failed,
      double p50Millis,
      double p99Millis,
      double seconds,
      Histogram micros) {
    /** Probes of one path taken one after another, as one: their requests over their time. */
    static Result combine(List<Result> parts) {
      Histogram all = new Histogram(3);
      long ok = 0;
      long failed = 0;
      double seconds = 0;
      for (Result r : parts) {
        all.add(r.micros);
        ok += r.ok;
        failed += r.failed;
        seconds += r.seconds;
      }
      return result(all, ok / seconds, ok, failed, seconds);
    }
  }

  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(executor)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final HttpRequest request;

  /** Completions whose body is {@code body} (a prompt of a chosen size: {@link #bodyOfSize}). */
  HttpProbe(URI base, String body) {
    this(base, body, Map.of());
  }

  /** The same with more request headers. */
  HttpProbe(URI base, String body, Map<String, String> headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve("/v1/completions"))
            .header("content-type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    request = builder.build();
  }

  /** One request, its whole answer as text (to check what the probes will measure). */
  HttpResponse<String> once() throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A completion body of {@code bytes} bytes (ASCII words, so bytes and characters agree). */
  static String bodyOfSize(String model, int bytes) {
    String head = "{\"model\":\"" + model + "\",\"max_tokens\":1,\"prompt\":\"";
    String tail = "\"}";
    StringBuilder body = new StringBuilder(bytes).append(head);
    String words = "the quick brown fox jumps over the lazy dog ";
    while (body.length() < bytes - tail.length()) {
      body.append(words, 0, Math.min(words.length(), bytes - tail.length() - body.length()));
    }
    return body.append(tail).toString();
  }

  Result closedLoop(int connections, double seconds) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    CompletableFuture<?>[] loops = new CompletableFuture<?>[connections];
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      loops[c] = loop(end, recorder, ok, failed);
    }
    CompletableFuture.allOf(loops)
        .orTimeout((long) seconds + 20, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    return result(
        recorder.getIntervalHistogram(), ok.get() / elapsed, ok.get(), failed.get(), elapsed);
  }

  Result fixedRate(double rate, double seconds) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long count = (long) (rate * seconds);
    CompletableFuture<?>[] all = new CompletableFuture<?>[(int) count];
    for (int i = 0; i < count; i++) {
      long sendAt = start + (long) (i / rate * 1e9);
      long wait;
      while ((wait = sendAt - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      all[i] = once(sendAt, recorder, ok, failed);
    }
    CompletableFuture.allOf(all).orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    return result(recorder.getIntervalHistogram(), rate, ok.get(), failed.get(), seconds);
  }

  private CompletableFuture<Void> loop(
      long end, Recorder recorder, AtomicLong ok, AtomicLong failed) {
    if (System.nanoTime() >= end) {
      return CompletableFuture.completedFuture(null);
    }
    return once(System.nanoTime(), recorder, ok, failed)
        .thenCompose(v -> loop(end, recorder, ok, failed));
  }

  /**
   * Latency counted from {@code intendedNanos}, so a late send is not forgiven (no coordinated
   * omission).
   */
  private CompletableFuture<Void> once(
      long intendedNanos, Recorder recorder, AtomicLong ok, AtomicLong failed) {
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, error) -> {
              if (error == null && response.statusCode() == 200) {
                recorder.recordValue(Math.max(1, (System.nanoTime() - intendedNanos) / 1000));
                ok.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
              return null;
            });
  }

  private static Result result(Histogram h, double rate, long ok, long failed, double seconds) {
    return new Result(
        rate,
        ok,
        failed,
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        seconds,
        h);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
