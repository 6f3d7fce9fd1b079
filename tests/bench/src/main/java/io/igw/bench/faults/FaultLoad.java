package io.igw.bench.faults;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Open-loop load at a fixed rate: request {@code i} leaves at {@code i / rps} seconds after the
 * start, whatever is still in flight, until {@link Run#stop} (or its longest duration).
 * java.net.http over HTTP/1.1; each answer read as it comes; a request still open at the client
 * timeout is abandoned and counts as hung.
 */
final class FaultLoad {
  static final String POOL_HEADER = "x-bench-pool";
  static final String SERVED_BY_HEADER = "x-igw-served-by";

  /**
   * One request's shape: the pool (by header), streamed or not, output tokens, prompt size in
   * characters.
   */
  record Shape(String pool, boolean stream, int maxTokens, int promptChars) {}

  private final URI base;
  private final String model;
  private final Duration clientTimeout;

  FaultLoad(URI base, String model, Duration clientTimeout) {
    this.base = base;
    this.model = model;
    this.clientTimeout = clientTimeout;
  }

  /** Starts sending on a thread of its own; the caller injects its fault meanwhile. */
  Run start(double rps, Duration longest, IntFunction<Shape> shapes) {
    Run run = new Run(rps, longest, shapes);
    Thread sender = new Thread(run::send, "fault-load");
    sender.setDaemon(true);
    sender.start();
    return run;
  }

  /** Sends {@code rps} for {@code duration} and waits for every answer. */
  List<Exchange> run(double rps, Duration duration, IntFunction<Shape> shapes)
      throws InterruptedException {
    Run run = start(rps, duration, shapes);
    Thread.sleep(duration.toMillis());
    return run.stopAndAwait();
  }

  final class Run {
    private final double rps;
    private final long longestNanos;
    private final IntFunction<Shape> shapes;
    private final List<Exchange> exchanges = new ArrayList<>();
    private final CompletableFuture<Void> sent = new CompletableFuture<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile boolean stopped;
    final long startNanos = System.nanoTime();

    private Run(double rps, Duration longest, IntFunction<Shape> shapes) {
      this.rps = rps;
      this.longestNanos = longest.toNanos();
      this.shapes = shapes;
    }

    private void send() {
      try {
        for (int i = 0; !stopped; i++) {
          long at = startNanos + (long) (i / rps * 1e9);
          if (at - startNanos > longestNanos) {
            break;
          }
          long wait;
          while ((wait = at - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          Shape shape = shapes.apply(i);
          Exchange exchange = new Exchange(i, shape.stream(), System.nanoTime());
          synchronized (exchanges) {
            exchanges.add(exchange);
          }
          send(exchange, request(i, shape));
          timer.schedule(exchange::abandon, clientTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
      } finally {
        sent.complete(null);
      }
    }

    private void send(Exchange exchange, HttpRequest request) {
      client
          .sendAsync(
              request,
              info -> {
                exchange.headers(
                    info.statusCode(), info.headers().firstValue(SERVED_BY_HEADER).orElse(null));
                return HttpResponse.BodySubscribers.fromLineSubscriber(exchange);
              })
          .whenComplete(
              (response, error) -> {
                if (error != null && exchange.resendOnStaleConnection(error)) {
                  send(exchange, request);
                } else if (error != null) {
                  exchange.failed(error);
                }
              });
    }

    /** Stops sending; the answers still come. */
    void stop() {
      stopped = true;
    }

    /** Stops sending, then waits for every answer (at most the client timeout after the last). */
    List<Exchange> stopAndAwait() throws InterruptedException {
      stop();
      return awaitAll();
    }

    /** Waits for the sender to reach its longest duration, then for every answer. */
    List<Exchange> awaitAll() throws InterruptedException {
      try {
        sent.get(longestNanos / 1_000_000 + 30_000, TimeUnit.MILLISECONDS);
        List<Exchange> all;
        synchronized (exchanges) {
          all = List.copyOf(exchanges);
        }
        CompletableFuture.allOf(all.stream().map(Exchange::done).toArray(CompletableFuture[]::new))
            .get(clientTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        return all;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("load did not end: " + e, e);
      } finally {
        timer.shutdownNow();
        executor.shutdownNow();
      }
    }
  }

  private HttpRequest request(int i, Shape shape) {
    StringBuilder prompt =
        new StringBuilder(shape.promptChars() + 16).append("request ").append(i).append(": ");
    while (prompt.length() < shape.promptChars()) {
      prompt.append("the quick brown fox jumps over the lazy dog ");
    }
    prompt.setLength(Math.max(1, shape.promptChars()));
    JsonObject body =
        new JsonObject()
            .put("model", model)
            .put("prompt", prompt.toString())
            .put("max_tokens", shape.maxTokens())
            .put("ignore_eos", true)
            .put("stream", shape.stream());
    return HttpRequest.newBuilder(base.resolve("/v1/completions"))
        .header("content-type", "application/json")
        .header(POOL_HEADER, shape.pool())
        .timeout(clientTimeout)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
  }
}
