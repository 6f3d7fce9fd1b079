package io.igw.picker.extproc;

import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.api.log.LogText;
import io.igw.picker.core.PickBody;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickObserver;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.PickService;
import io.igw.picker.datastore.PoolName;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One ext_proc stream served by the picker: request headers, then body chunks until end_of_stream
 * (no answer before the body's end, like the reference EPP), then the pick's answer (destination
 * header + metadata, the body back in 62,000-byte chunks with its Content-Length), then the
 * response phase, whose served endpoint ends the request's in-flight accounting and whose answer
 * sets the pick's client headers (a rate limit's {@code x-ratelimit-*}) on the client's response:
 * only when the gateway sends the response headers (Envoy's {@code response_header_mode: SEND}, its
 * default); a refusal's ImmediateResponse carries its own. Messages out of order end the stream
 * with INVALID_ARGUMENT. Runs on its connection's event loop; the pick service never blocks it.
 * With flow control the answer waits for the pick's dispatch; a cancelled stream leaves the queue.
 */
final class ProcessingStream {
  private static final Logger LOG = Logger.getLogger(ProcessingStream.class.getName());

  /** Headers the reference EPP reads and strips before the request goes upstream. */
  static final List<String> STRIPPED =
      List.of(
          "x-gateway-inference-objective",
          "x-gateway-inference-fairness-id",
          "x-gateway-model-name-rewrite");

  private enum Phase {
    HEADERS,
    BODY,
    PICKED,
    DONE
  }

  private final GrpcServerResponse<ProcessingRequest, ProcessingResponse> out;
  private final PickService picks;
  private final PickObserver refusals;
  private final Supplier<PoolName> pool;
  private final long maxBodyBytes;

  /** The stream's pick once asked for, and its result. */
  private PickRequest request;

  private Future<PickResult> result;
  private Phase phase = Phase.HEADERS;
  private MultiMap headers;
  private Set<String> subset;

  /**
   * The gateway's x-request-id, for logs (and added when absent); the gateway's client may have
   * chosen it.
   */
  private String requestId;

  private boolean requestIdAdded;

  /**
   * What in-flight accounting keys on: one per stream, so no header value can end or replace
   * another request.
   */
  private final String accountingId = "ext-proc-" + UUID.randomUUID();

  private Buffer body;

  /** The pick's headers for the client's response, set when the response headers come. */
  private Map<String, String> clientHeaders = Map.of();

  private boolean inFlightOpen;
  private boolean closed;

  /**
   * {@code refusals}: told of the requests refused before they reach {@code picks} (too large, no
   * pool).
   */
  ProcessingStream(
      GrpcServerResponse<ProcessingRequest, ProcessingResponse> out,
      PickService picks,
      PickObserver refusals,
      Supplier<PoolName> pool,
      long maxBodyBytes) {
    this.out = out;
    this.picks = picks;
    this.refusals = refusals;
    this.pool = pool;
    this.maxBodyBytes = maxBodyBytes;
  }

  void onMessage(ProcessingRequest message) {
    if (phase == Phase.DONE) {
      return;
    }
    if (message == null) {
      fail("malformed ProcessingRequest");
      return;
    }
    switch (message.getRequestCase()) {
      case REQUEST_HEADERS -> onRequestHeaders(message);
      case REQUEST_BODY ->
          onRequestBody(
              message.getRequestBody().getBody().toByteArray(),
              message.getRequestBody().getEndOfStream());
      case REQUEST_TRAILERS -> onRequestTrailers();
      case RESPONSE_HEADERS -> onResponseHeaders(message);
      case RESPONSE_BODY, RESPONSE_TRAILERS ->
          write(ExtProcMessages.proceed(message.getRequestCase()));
      default -> fail("a ProcessingRequest without a message");
    }
  }

  private void onRequestHeaders(ProcessingRequest message) {
    if (phase != Phase.HEADERS) {
      fail("request_headers after " + phase);
      return;
    }
    HttpHeaders h = message.getRequestHeaders();
    headers = ExtProcMessages.headers(h.getHeaders());
    // Only the gateway's metadata restricts the pick; a request header of the same name is the
    // client's and ignored.
    subset =
        message.hasMetadataContext()
            ? ExtProcMessages.subsetHint(message.getMetadataContext())
            : null;
    requestId = headers.get("x-request-id");
    if (requestId == null || requestId.isEmpty()) {
      requestId = UUID.randomUUID().toString();
      requestIdAdded = true;
    }
    body = Buffer.buffer();
    if (h.getEndOfStream()) {
      pick(null);
    } else {
      phase = Phase.BODY;
    }
  }

  private void onRequestBody(byte[] chunk, boolean endOfStream) {
    if (phase != Phase.BODY) {
      fail("request_body before request_headers or after the body's end (" + phase + ")");
      return;
    }
    if (body.length() + (long) chunk.length > maxBodyBytes) {
      refuse(PickFailure.bodyTooLarge(maxBodyBytes));
      return;
    }
    body.appendBytes(chunk);
    if (endOfStream) {
      pick(body);
    }
  }

  private void onRequestTrailers() {
    if (phase == Phase.BODY) {
      pick(body);
    }
    write(ExtProcMessages.proceed(ProcessingRequest.RequestCase.REQUEST_TRAILERS));
  }

  private void onResponseHeaders(ProcessingRequest message) {
    String served =
        message.hasMetadataContext()
            ? ExtProcMessages.servedEndpoint(message.getMetadataContext())
            : null;
    LOG.fine(
        "event=ext_proc_response_phase request_id="
            + LogText.value(requestId)
            + " served="
            + LogText.value(served));
    endInFlight();
    write(ExtProcMessages.responseHeaders(clientHeaders));
  }

  private void pick(Buffer raw) {
    phase = Phase.PICKED;
    PoolName poolName = pool.get();
    if (poolName == null) {
      refuse(PickFailure.noReadyEndpoint("(none configured for ext_proc)"));
      return;
    }
    request =
        new PickRequest(
            poolName,
            headers.get(":path"),
            headers.get(":method"),
            PickBody.of(raw, headers.get("content-type")),
            headers,
            accountingId,
            subset);
    result = picks.pick(request);
    result.onComplete(
        ar -> {
          if (phase == Phase.DONE) {
            if (ar.succeeded()) {
              picks.release(request);
            }
          } else if (ar.succeeded()) {
            inFlightOpen = true;
            answer(ar.result(), raw);
          } else {
            answerFailure(PickFailure.of(ar.cause()));
          }
        });
  }

  private void answer(PickResult result, Buffer raw) {
    clientHeaders = result.clientHeaders();
    Buffer upstreamBody = result.rewrittenBody() != null ? result.rewrittenBody() : raw;
    Map<String, String> set = new java.util.LinkedHashMap<>();
    if (upstreamBody != null) {
      set.put("content-length", Integer.toString(upstreamBody.length()));
    }
    if (requestIdAdded) {
      set.put("x-request-id", requestId);
    }
    write(ExtProcMessages.picked(String.join(",", result.endpoints()), set, STRIPPED));
    if (upstreamBody != null) {
      ExtProcMessages.requestBody(upstreamBody).forEach(this::write);
    }
  }

  /** A refusal before the pick service (which reports its own): reported here. */
  private void refuse(PickFailure failure) {
    refusals.refused(null, failure);
    answerFailure(failure);
  }

  private void answerFailure(PickFailure failure) {
    phase = Phase.DONE;
    LOG.fine(
        "event=ext_proc_pick_refused status="
            + failure.status()
            + " code="
            + failure.code()
            + " request_id="
            + LogText.value(requestId));
    write(ExtProcMessages.immediate(failure));
  }

  void fail(String why) {
    LOG.warning(
        "event=ext_proc_stream_rejected request_id="
            + LogText.value(requestId)
            + " reason="
            + LogText.value(why));
    phase = Phase.DONE;
    endInFlight();
    if (!closed) {
      closed = true;
      out.status(GrpcStatus.INVALID_ARGUMENT).statusMessage(why).end();
    }
  }

  private void write(ProcessingResponse response) {
    if (!closed) {
      out.write(response);
    }
  }

  /** The gateway closed its side: the request is over. */
  void onEnd() {
    leaveQueue();
    endInFlight();
    phase = Phase.DONE;
    if (!closed) {
      closed = true;
      out.end();
    }
  }

  /** The stream was reset or cancelled. */
  void onReset() {
    phase = Phase.DONE;
    closed = true;
    leaveQueue();
    endInFlight();
  }

  /** A pick still waiting (flow control) is withdrawn. */
  private void leaveQueue() {
    if (result != null && !result.isComplete()) {
      picks.release(request);
    }
  }

  private void endInFlight() {
    if (inFlightOpen) {
      inFlightOpen = false;
      picks.release(request);
    }
  }
}
