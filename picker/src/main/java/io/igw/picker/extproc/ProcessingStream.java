package io.igw.picker.extproc;

import io.igw.api.log.LogText;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.core.Director;
import io.igw.picker.flowcontrol.FlowControlGate;
import io.igw.picker.flowcontrol.PendingPick;
import io.igw.picker.observability.PickerMetrics;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.core.OpenAiError;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One ext_proc stream served by the picker: request headers, then body chunks until end_of_stream (no answer
 * before the body's end, like the reference EPP), then the pick's answer (destination header + metadata, the body
 * back in 62,000-byte chunks with its Content-Length), then the response phase, whose served endpoint ends the
 * request's in-flight accounting. Messages out of order end the stream with INVALID_ARGUMENT. Runs on its
 * connection's event loop; the director never blocks. With flow control the answer waits for the pick's dispatch;
 * a cancelled stream leaves the queue.
 */
final class ProcessingStream {
  private static final Logger LOG = Logger.getLogger(ProcessingStream.class.getName());
  /** Headers the reference EPP reads and strips before the request goes upstream. */
  static final List<String> STRIPPED = List.of("x-gateway-inference-objective", "x-gateway-inference-fairness-id",
      "x-gateway-model-name-rewrite");

  private enum Phase { HEADERS, BODY, PICKED, DONE }

  private final GrpcServerResponse<ProcessingRequest, ProcessingResponse> out;
  private final Director director;
  /** Null when flow control is off. */
  private final FlowControlGate flowControl;
  private PendingPick pending;
  private final InFlightTracker inFlight;
  private final Supplier<PoolName> pool;
  private final long maxBodyBytes;
  private final PickerMetrics metrics;
  private String model;
  private Phase phase = Phase.HEADERS;
  private MultiMap headers;
  private Set<String> subset;
  /** The gateway's x-request-id, for logs (and added when absent); the gateway's client may have chosen it. */
  private String requestId;
  private boolean requestIdAdded;
  /** What in-flight accounting keys on: one per stream, so no header value can end or replace another request. */
  private final String accountingId = "ext-proc-" + UUID.randomUUID();
  private Buffer body;
  private boolean inFlightOpen;
  private boolean closed;

  ProcessingStream(GrpcServerResponse<ProcessingRequest, ProcessingResponse> out, Director director,
      FlowControlGate flowControl, InFlightTracker inFlight, Supplier<PoolName> pool, long maxBodyBytes,
      PickerMetrics metrics) {
    this.out = out;
    this.flowControl = flowControl;
    this.metrics = metrics;
    this.director = director;
    this.inFlight = inFlight;
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
      case REQUEST_BODY -> onRequestBody(message.getRequestBody().getBody().toByteArray(),
          message.getRequestBody().getEndOfStream());
      case REQUEST_TRAILERS -> onRequestTrailers();
      case RESPONSE_HEADERS -> onResponseHeaders(message);
      case RESPONSE_BODY, RESPONSE_TRAILERS -> write(ExtProcMessages.proceed(message.getRequestCase()));
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
    // Only the gateway's metadata restricts the pick; a request header of the same name is the client's and ignored.
    subset = message.hasMetadataContext() ? ExtProcMessages.subsetHint(message.getMetadataContext()) : null;
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
      answerFailure(PickFailure.bodyTooLarge(maxBodyBytes));
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
    String served = message.hasMetadataContext() ? ExtProcMessages.servedEndpoint(message.getMetadataContext()) : null;
    LOG.fine("event=ext_proc_response_phase request_id=" + LogText.value(requestId) + " served=" + LogText.value(served));
    endInFlight();
    write(ExtProcMessages.proceed(ProcessingRequest.RequestCase.RESPONSE_HEADERS));
  }

  private void pick(Buffer raw) {
    phase = Phase.PICKED;
    PoolName poolName = pool.get();
    try {
      if (poolName == null) {
        throw PickFailure.noReadyEndpoint("(none configured for ext_proc)");
      }
      JsonObject json = raw == null || raw.length() == 0 ? null : parse(raw);
      model = json == null ? null : (String) json.getValue("model");
      PickRequest request = new PickRequest(poolName, headers.get(":path"), headers.get(":method"), model, json,
          headers, accountingId, subset);
      if (flowControl == null) {
        picked(director.pick(request), raw);
      } else {
        pending = flowControl.pick(request, raw == null ? 0 : raw.length());
        pending.result().onComplete(ar -> {
          if (ar.succeeded()) {
            picked(ar.result(), raw);
          } else if (phase != Phase.DONE) {
            answerFailure(ar.cause() instanceof PickFailure f ? f : PickFailure.internal("internal error"));
          }
        });
      }
    } catch (PickFailure failure) {
      answerFailure(failure);
    }
  }

  private void picked(PickResult result, Buffer raw) {
    if (phase == Phase.DONE) {
      inFlight.completed(accountingId);
      return;
    }
    metrics.recordPick(model, result.targetModel());
    inFlightOpen = true;
    answer(result, raw);
  }

  private static JsonObject parse(Buffer raw) {
    io.igw.picker.core.JsonBodyLimits.check(raw);
    Object value;
    try {
      value = raw.toJsonValue();
    } catch (DecodeException | IllegalStateException e) {
      throw PickFailure.badRequest("the request body is not valid JSON");
    }
    if (!(value instanceof JsonObject json)) {
      throw PickFailure.badRequest("the request body must be a JSON object");
    }
    if (json.getValue("model") != null && !(json.getValue("model") instanceof String)) {
      throw PickFailure.badRequest("model must be a string");
    }
    return json;
  }

  private void answer(PickResult result, Buffer raw) {
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

  private void answerFailure(PickFailure failure) {
    phase = Phase.DONE;
    metrics.recordPickError(model, failure.code());
    LOG.fine("event=ext_proc_pick_refused status=" + failure.status() + " code=" + failure.code()
        + " request_id=" + LogText.value(requestId));
    write(ExtProcMessages.immediate(failure.status(), OpenAiError.body(failure)));
  }

  void fail(String why) {
    LOG.warning("event=ext_proc_stream_rejected request_id=" + LogText.value(requestId) + " reason=" + LogText.value(why));
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

  private void leaveQueue() {
    if (pending != null) {
      pending.clientGone();
    }
  }

  private void endInFlight() {
    if (inFlightOpen) {
      inFlightOpen = false;
      inFlight.completed(accountingId);
    }
  }
}
