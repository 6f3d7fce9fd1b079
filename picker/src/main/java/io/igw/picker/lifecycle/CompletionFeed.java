package io.igw.picker.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Receives NGINX's access log over syslog UDP (DESIGN.md step 8), ends the in-flight requests it
 * reports, and hands each completion to the listeners. One datagram is one line; rejected ones
 * ({@link AccessLogLineParser}) are counted by reason and dropped, the first of each reason logged.
 */
public final class CompletionFeed {
  private static final Logger LOG = Logger.getLogger(CompletionFeed.class.getName());

  /** Told of each completion; {@code request} is null when the picker did not see its pick. */
  @FunctionalInterface
  public interface Listener {
    void onCompletion(Completion completion, InFlightTracker.InFlight request);
  }

  private final InFlightTracker tracker;
  private final List<Listener> listeners;
  private final AtomicLong received = new AtomicLong();
  private final Map<AccessLogLineParser.Rejection, AtomicLong> rejected =
      new EnumMap<>(AccessLogLineParser.Rejection.class);
  private DatagramSocket socket;

  public CompletionFeed(InFlightTracker tracker, List<Listener> listeners) {
    this.tracker = tracker;
    this.listeners = List.copyOf(listeners);
    for (AccessLogLineParser.Rejection why : AccessLogLineParser.Rejection.values()) {
      rejected.put(why, new AtomicLong());
    }
  }

  public Future<CompletionFeed> listen(Vertx vertx, String host, int port) {
    socket =
        vertx.createDatagramSocket(
            new DatagramSocketOptions().setReceiveBufferSize(4 * 1024 * 1024));
    socket.handler(this::handle);
    return socket
        .listen(port, host)
        .onSuccess(
            s ->
                LOG.info(
                    "event=completion_feed_listening address="
                        + host
                        + ":"
                        + s.localAddress().port()))
        .map(s -> this);
  }

  public int port() {
    return socket.localAddress().port();
  }

  public long received() {
    return received.get();
  }

  /** Lines dropped, whatever the reason. */
  public long malformed() {
    return rejected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long rejected(AccessLogLineParser.Rejection why) {
    return rejected.get(why).get();
  }

  public Future<Void> close() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  private void handle(DatagramPacket packet) {
    received.incrementAndGet();
    AccessLogLineParser.Parsed parsed =
        AccessLogLineParser.read(packet.data().toString(StandardCharsets.UTF_8).strip());
    if (parsed.rejection() != null) {
      if (rejected.get(parsed.rejection()).incrementAndGet() == 1) {
        LOG.warning(
            "event=completion_feed_line_dropped logged=first_per_reason"
                + " counter=igw_completion_feed_rejected_lines_total reason="
                + parsed.rejection().label
                + " from="
                + packet.sender());
      }
      return;
    }
    accept(parsed.completion());
  }

  /**
   * Ends the request and tells the listeners. An estimated usage without prompt tokens (a stream
   * cut before its usage: NGINX counted only the chunks) gets the pick's prompt estimate.
   */
  public void accept(Completion completion) {
    InFlightTracker.InFlight request = tracker.completed(completion.requestId());
    Completion told = withPromptEstimate(completion, request);
    for (Listener listener : listeners) {
      listener.onCompletion(told, request);
    }
  }

  static Completion withPromptEstimate(Completion completion, InFlightTracker.InFlight request) {
    TokenUsage usage = completion.usage();
    if (usage == null || !usage.estimated() || usage.promptTokens() > 0 || request == null) {
      return completion;
    }
    return new Completion(
        completion.requestId(),
        completion.endpoints(),
        completion.status(),
        completion.requestTimeSeconds(),
        completion.headerTimeSeconds(),
        new TokenUsage(request.promptTokens(), 0, usage.completionTokens(), true));
  }
}
