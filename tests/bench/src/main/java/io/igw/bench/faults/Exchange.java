package io.igw.bench.faults;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One request as the client saw it: status, who served it, whether its answer was whole (the
 * stream's {@code data: [DONE]}, or a JSON body with choices), how it failed. Times are wall-clock
 * nanoseconds.
 */
final class Exchange implements Flow.Subscriber<String> {
  private static final int BODY_KEPT = 4096;

  final int index;
  final boolean stream;
  final long sentNanos;
  private final CompletableFuture<Exchange> done = new CompletableFuture<>();
  private final StringBuilder body = new StringBuilder();
  private volatile Flow.Subscription subscription;
  private volatile int status;
  private volatile String servedBy;
  private volatile long endNanos;
  private volatile boolean finished;
  private volatile String error;
  private volatile String message;
  private int chunks;

  /**
   * The openai SDKs' default max_retries: how often a request is resent after its connection was
   * closed under it.
   */
  static final int MAX_STALE_CONNECTION_RESENDS = 2;

  private volatile int resentOnStaleConnection;

  Exchange(int index, boolean stream, long sentNanos) {
    this.index = index;
    this.stream = stream;
    this.sentNanos = sentNanos;
  }

  void headers(int statusCode, String servedByHeader) {
    status = statusCode;
    servedBy = servedByHeader;
  }

  CompletableFuture<Exchange> done() {
    return done;
  }

  /**
   * The request failed without a whole answer (refused, reset, truncated, the client's timeout).
   */
  /**
   * Whether the client may send this request again: it failed before any response byte because the
   * pooled keep-alive connection it went out on was closed under it (an NGINX worker leaving after
   * a reload closes its idle connections; a request already on the wire is lost unread). Clients do
   * resend then: the openai SDKs retry connection errors (twice by default), Java's HttpClient a
   * stale connection with jdk.httpclient.enableAllMethodRetry.
   */
  boolean resendOnStaleConnection(Throwable e) {
    if (status != 0 || resentOnStaleConnection >= MAX_STALE_CONNECTION_RESENDS) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("header parser received no bytes")
          || m.contains("Connection reset")
          || t.getClass().getSimpleName().equals("ConnectionExpiredException")) {
        resentOnStaleConnection++;
        return true;
      }
    }
    return false;
  }

  /** Sent a second time after its keep-alive connection was closed before any response byte. */
  boolean resentOnStaleConnection() {
    return resentOnStaleConnection > 0;
  }

  void failed(Throwable e) {
    Throwable cause =
        e.getCause() != null && e instanceof java.util.concurrent.CompletionException
            ? e.getCause()
            : e;
    end(cause.getClass().getSimpleName());
    message = String.valueOf(cause.getMessage());
  }

  /** The client gives up waiting: stop reading. */
  void abandon() {
    if (!done.isDone()) {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      end("ClientTimeout");
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public synchronized void onNext(String line) {
    if (status == 200 && stream) {
      if (line.equals("data: [DONE]")) {
        finished = true;
      } else if (line.startsWith("data: ")) {
        chunks++;
      }
      return;
    }
    if (body.length() < BODY_KEPT) {
      body.append(line, 0, Math.min(line.length(), BODY_KEPT - body.length()));
    }
  }

  @Override
  public void onError(Throwable e) {
    message = String.valueOf(e.getMessage());
    end(e.getClass().getSimpleName());
  }

  @Override
  public synchronized void onComplete() {
    if (status == 200 && !stream) {
      finished = parse(body.toString()) instanceof JsonObject json && json.containsKey("choices");
    }
    end(null);
  }

  private synchronized void end(String failure) {
    if (done.isDone()) {
      return;
    }
    error = failure;
    endNanos = System.nanoTime();
    done.complete(this);
  }

  private static Object parse(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** 200 and the whole answer, without a transport error. */
  boolean ok() {
    return status == 200 && finished && error == null;
  }

  /**
   * Answered with this status and an OpenAI-style error body ({@code
   * {"error":{"message":…,"code":…}}}).
   */
  boolean openAiError(int expected) {
    return status == expected
        && parse(body.toString()) instanceof JsonObject json
        && json.getValue("error") instanceof JsonObject e
        && e.getString("message") != null;
  }

  /** 200 with headers, then the stream ended without {@code [DONE]}. */
  boolean truncated() {
    return status == 200 && stream && !finished;
  }

  int status() {
    return status;
  }

  String servedBy() {
    return servedBy;
  }

  String error() {
    return error;
  }

  /** The transport error's message, or null. */
  String errorMessage() {
    return message;
  }

  long endNanos() {
    return endNanos;
  }

  double latencyMs() {
    return (endNanos - sentNanos) / 1e6;
  }

  /** What the client got, in one word: the status, or the transport error when no header came. */
  String outcome() {
    if (status == 0) {
      return error == null ? "none" : error;
    }
    if (status == 200 && !ok()) {
      return "200-" + (error != null ? error : "incomplete");
    }
    if (status != 200
        && parse(body.toString()) instanceof JsonObject json
        && json.getValue("error") instanceof JsonObject e
        && e.getValue("code") != null) {
      return status + ":" + e.getValue("code");
    }
    return Integer.toString(status);
  }

  synchronized int chunks() {
    return chunks;
  }
}
