package io.igw.picker.extproc;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.api.log.LogText;
import io.igw.picker.pick.PickApi;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One ext_proc stream to a foreign EPP, as a gateway drives it: request headers, then the body in
 * 62,000-byte chunks without waiting for the headers' answer, then the EPP's answers collected into
 * a {@link BridgeAnswer}; the stream stays open for the response phase: {@link #reportServed} tells
 * the EPP which endpoint served after the response went to the client (report), or {@link
 * #responseHeaders} and {@link #responseBody} hand it the response while the relay holds it
 * (relay); {@link #cancel} gives up. Every failure becomes an {@link EppUnavailable}. Runs on one
 * event loop.
 */
final class EppExchange {
  private static final Logger LOG = Logger.getLogger(EppExchange.class.getName());
  private static final Pattern ENDPOINT =
      Pattern.compile("^(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]):\\d{1,5}$");

  /**
   * Request headers a gateway does not hand the EPP as such (hop-by-hop, or sent as
   * pseudo-headers).
   */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "host",
          "connection",
          "content-length",
          "transfer-encoding",
          "keep-alive",
          "upgrade",
          "te",
          "proxy-connection",
          PickApi.REQUEST_ID_HEADER);

  /** Header mutations that are the bridge's business, not NGINX's. */
  private static final Set<String> NOT_RETURNED =
      Set.of(
          ExtProcMessages.ENDPOINT_HEADER,
          "content-length",
          "host",
          "transfer-encoding",
          "connection");

  /** One pick as the bridge forwards it; {@code subset} null: no hint. */
  record Request(
      String method,
      String path,
      MultiMap headers,
      Buffer body,
      String requestId,
      Set<String> subset) {}

  private final Vertx vertx;
  private final Promise<BridgeAnswer> answer = Promise.promise();
  private GrpcClientRequest<ProcessingRequest, ProcessingResponse> stream;
  private Promise<ResponseHeaderMutation> responsePhase;
  private final Map<String, String> setHeaders = new LinkedHashMap<>();
  private Buffer original;
  private Buffer upstreamBody;
  private boolean bodyExpected;
  private boolean headersAnswered;
  private boolean bodyDone;
  private int chunksSent;
  private int plainBodyAnswers;
  private String metadataEndpoint;
  private boolean closed;
  private String requestId;

  /** Relay: how long the EPP may take to end the stream after the response's end. */
  private long lingerMs;

  private int bodyMutationsNotApplied;
  private int bodyChunksNotSent;

  EppExchange(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Opens the stream, sends the request and completes with the EPP's answer within {@code
   * timeoutMs}.
   */
  Future<BridgeAnswer> pick(GrpcClient client, EppTarget target, Request request, long timeoutMs) {
    if (!io.igw.api.net.LoopbackOnly.allows(target.host(), target.port(), "ext_proc stream")) {
      fail("refused outside loopback in a test run");
      return answer.future();
    }
    long timer = vertx.setTimer(timeoutMs, id -> fail("no answer within " + timeoutMs + " ms"));
    client
        .request(
            SocketAddress.inetSocketAddress(target.port(), target.host()),
            ExtProcMessages.CLIENT_PROCESS)
        .compose(
            req -> {
              stream = req;
              req.exceptionHandler(e -> broken("stream failed: " + e.getMessage()));
              send(request);
              return req.response();
            })
        .onSuccess(this::listen)
        .onFailure(
            e -> fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    return answer.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void send(Request request) {
    requestId = request.requestId();
    original = request.body() == null ? Buffer.buffer() : request.body();
    bodyExpected = original.length() > 0;
    ProcessingRequest.Builder headers =
        ProcessingRequest.newBuilder()
            .setRequestHeaders(
                HttpHeaders.newBuilder()
                    .setHeaders(headerMap(request))
                    .setEndOfStream(!bodyExpected));
    if (request.subset() != null) {
      headers.setMetadataContext(subsetHint(request.subset()));
    }
    stream.write(headers.build());
    if (bodyExpected) {
      byte[] bytes = original.getBytes();
      for (int offset = 0; offset < bytes.length; offset += ExtProcMessages.CHUNK_BYTES) {
        int end = Math.min(bytes.length, offset + ExtProcMessages.CHUNK_BYTES);
        stream.write(
            ProcessingRequest.newBuilder()
                .setRequestBody(
                    HttpBody.newBuilder()
                        .setBody(ByteString.copyFrom(bytes, offset, end - offset))
                        .setEndOfStream(end == bytes.length))
                .build());
        chunksSent++;
      }
    }
  }

  private static HeaderMap headerMap(Request request) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    add(map, ":method", request.method() == null ? "POST" : request.method());
    add(map, ":path", request.path() == null ? "/" : request.path());
    add(map, ":scheme", "http");
    String host = request.headers().get("host");
    if (host != null) {
      add(map, ":authority", host);
    }
    boolean ownRequestId = request.requestId() != null && !request.requestId().isEmpty();
    for (Map.Entry<String, String> h : request.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED.contains(name)
          && !name.startsWith(":")
          && !name.startsWith(ExtProcMessages.ENDPOINT_HEADER)
          && !(ownRequestId && name.equals("x-request-id"))) {
        add(map, name, h.getValue());
      }
    }
    // Like Envoy for an untrusted client: the EPP keys its accounting on the gateway's own id, not
    // the client's.
    if (ownRequestId) {
      add(map, "x-request-id", request.requestId());
    }
    if (request.body() != null && request.body().length() > 0) {
      add(map, "content-length", Integer.toString(request.body().length()));
    }
    return map.build();
  }

  private static void add(HeaderMap.Builder map, String name, String value) {
    map.addHeaders(
        HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)));
  }

  private static Metadata subsetHint(Set<String> subset) {
    ListValue.Builder list = ListValue.newBuilder();
    subset.forEach(s -> list.addValues(Value.newBuilder().setStringValue(s)));
    return Metadata.newBuilder()
        .putFilterMetadata(
            ExtProcMessages.SUBSET_NAMESPACE,
            Struct.newBuilder()
                .putFields(
                    ExtProcMessages.SUBSET_KEY, Value.newBuilder().setListValue(list).build())
                .build())
        .build();
  }

  private void listen(GrpcClientResponse<ProcessingRequest, ProcessingResponse> response) {
    response.handler(this::onAnswer);
    response.exceptionHandler(e -> broken("stream failed: " + e.getMessage()));
    response.invalidMessageHandler(e -> broken("malformed ProcessingResponse"));
    response.endHandler(
        v -> {
          closed = true;
          if (response.status() != GrpcStatus.OK) {
            broken(
                "EPP ended the stream status="
                    + response.status()
                    + " message="
                    + response.statusMessage());
          } else {
            fail("EPP ended the stream before answering");
            if (responsePhase != null) {
              responsePhase.tryComplete(ResponseHeaderMutation.NONE);
            }
          }
          if (bodyMutationsNotApplied > 0 || bodyChunksNotSent > 0) {
            LOG.fine(
                "event=bridge_response_body_not_applied request_id="
                    + LogText.value(requestId)
                    + " body_mutations_not_applied="
                    + bodyMutationsNotApplied
                    + " chunks_not_sent="
                    + bodyChunksNotSent);
          }
        });
  }

  /**
   * The stream broke: the pick (if still waiting) and the response phase (if asked) fail; nothing
   * more is sent.
   */
  private void broken(String why) {
    fail(why);
    if (responsePhase != null) {
      responsePhase.tryFail(new EppUnavailable(why));
    }
    cancel();
  }

  private void onAnswer(ProcessingResponse m) {
    if (m.hasDynamicMetadata()
        && ExtProcMessages.metadataEndpoint(m.getDynamicMetadata()) != null) {
      metadataEndpoint = ExtProcMessages.metadataEndpoint(m.getDynamicMetadata());
    }
    switch (m.getResponseCase()) {
      case REQUEST_HEADERS -> {
        collect(m.getRequestHeaders().getResponse(), setHeaders);
        headersAnswered = true;
      }
      case REQUEST_BODY -> onBodyAnswer(m.getRequestBody().getResponse());
      case IMMEDIATE_RESPONSE -> {
        var immediate = m.getImmediateResponse();
        int status = immediate.hasStatus() ? immediate.getStatus().getCodeValue() : 500;
        answer.tryComplete(
            BridgeAnswer.refused(status, Buffer.buffer(immediate.getBody().toByteArray())));
        cancel();
        return;
      }
      case RESPONSE_HEADERS -> {
        if (responsePhase != null) {
          responsePhase.tryComplete(
              ResponseHeaderMutation.of(m.getResponseHeaders().getResponse().getHeaderMutation()));
        }
        return;
      }
      case RESPONSE_BODY -> {
        // consumed, never applied: the relay streams the server's body as it comes
        // (docs/pick-api.md)
        if (m.getResponseBody().getResponse().hasBodyMutation()) {
          bodyMutationsNotApplied++;
        }
        return;
      }
      default -> {
        return;
      }
    }
    if (headersAnswered && (!bodyExpected || bodyDone)) {
      complete();
    }
  }

  private void onBodyAnswer(CommonResponse common) {
    collect(common, setHeaders);
    BodyMutation mutation = common.getBodyMutation();
    if (mutation.hasStreamedResponse()) {
      upstreamBody = upstreamBody == null ? Buffer.buffer() : upstreamBody;
      upstreamBody.appendBytes(mutation.getStreamedResponse().getBody().toByteArray());
      bodyDone = mutation.getStreamedResponse().getEndOfStream();
    } else if (mutation.hasBody()) {
      upstreamBody = Buffer.buffer(mutation.getBody().toByteArray());
      bodyDone = true;
    } else if (mutation.hasClearBody() && mutation.getClearBody()) {
      upstreamBody = Buffer.buffer();
      bodyDone = true;
    } else {
      bodyDone = ++plainBodyAnswers >= chunksSent;
    }
  }

  private static void collect(CommonResponse common, Map<String, String> into) {
    for (HeaderValueOption option : common.getHeaderMutation().getSetHeadersList()) {
      into.put(
          option.getHeader().getKey().toLowerCase(Locale.ROOT),
          ExtProcMessages.valueOf(option.getHeader()));
    }
  }

  private void complete() {
    String header = setHeaders.get(ExtProcMessages.ENDPOINT_HEADER);
    if (header != null && metadataEndpoint != null && !header.equals(metadataEndpoint)) {
      fail("destination header " + header + " and metadata " + metadataEndpoint + " disagree");
      return;
    }
    String destination = header != null ? header : metadataEndpoint;
    List<String> endpoints = new ArrayList<>();
    for (String token : destination == null ? new String[0] : destination.split(",")) {
      if (ENDPOINT.matcher(token.trim()).matches()) {
        endpoints.add(token.trim());
      }
    }
    if (endpoints.isEmpty()) {
      fail("no valid destination endpoint in the answer: " + destination);
      return;
    }
    Map<String, String> returned = new LinkedHashMap<>();
    setHeaders.forEach(
        (name, value) -> {
          if (!NOT_RETURNED.contains(name) && !name.startsWith(":")) {
            returned.put(name, value);
          }
        });
    Buffer rewritten = upstreamBody != null && !upstreamBody.equals(original) ? upstreamBody : null;
    answer.tryComplete(BridgeAnswer.picked(endpoints, returned, rewritten));
  }

  /**
   * Report: tells the EPP the endpoint that served (metadata {@code envoy.lb} served key) with the
   * final status after the response went to the client, and closes the stream. Completes with the
   * EPP's response-header mutation, which can no longer be applied; fails when the stream is closed
   * or broken, or after {@code timeoutMs}.
   */
  Future<ResponseHeaderMutation> reportServed(String endpoint, int status, long timeoutMs) {
    return responseHeaders(endpoint, status, MultiMap.caseInsensitiveMultiMap(), true, timeoutMs);
  }

  /**
   * The response phase as Envoy runs it: the server's status and headers with the served endpoint
   * in metadata; completes with the EPP's answer, fails with {@link EppUnavailable} when the stream
   * is closed or breaks, and with a {@link TimeoutException} after {@code timeoutMs}. {@code
   * endOfStream}: no body follows, the stream is closed.
   */
  Future<ResponseHeaderMutation> responseHeaders(
      String endpoint, int status, MultiMap headers, boolean endOfStream, long timeoutMs) {
    if (stream == null || closed) {
      return Future.failedFuture(new EppUnavailable("the stream is closed"));
    }
    Promise<ResponseHeaderMutation> phase = Promise.promise();
    responsePhase = phase;
    lingerMs = timeoutMs;
    HeaderMap.Builder map = HeaderMap.newBuilder();
    add(map, ":status", Integer.toString(status));
    for (Map.Entry<String, String> h : headers) {
      add(map, h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    stream.write(
        ProcessingRequest.newBuilder()
            .setResponseHeaders(
                HttpHeaders.newBuilder().setHeaders(map).setEndOfStream(endOfStream))
            .setMetadataContext(served(endpoint))
            .build());
    if (endOfStream) {
      finish();
    }
    long timer =
        vertx.setTimer(
            timeoutMs,
            id ->
                phase.tryFail(
                    new TimeoutException("no response-phase answer within " + timeoutMs + " ms")));
    return phase.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static Metadata served(String endpoint) {
    return Metadata.newBuilder()
        .putFilterMetadata(
            ExtProcMessages.LB_NAMESPACE,
            ExtProcMessages.lbMetadata(ExtProcMessages.SERVED_KEY, endpoint)
                .getFieldsOrThrow(ExtProcMessages.LB_NAMESPACE)
                .getStructValue())
        .build();
  }

  /**
   * A piece of the response body, in {@link ExtProcMessages#CHUNK_BYTES} messages; the last one
   * ({@code endOfStream}) closes the stream. The client never waits for the EPP: while the stream's
   * write queue is full a piece is not sent (counted), so a slow EPP costs no memory.
   */
  void responseBody(Buffer piece, boolean endOfStream) {
    if (stream == null || closed) {
      return;
    }
    if (!endOfStream && stream.writeQueueFull()) {
      bodyChunksNotSent++;
      return;
    }
    byte[] bytes = piece.getBytes();
    int offset = 0;
    do {
      int end = Math.min(bytes.length, offset + ExtProcMessages.CHUNK_BYTES);
      stream.write(
          ProcessingRequest.newBuilder()
              .setResponseBody(
                  HttpBody.newBuilder()
                      .setBody(ByteString.copyFrom(bytes, offset, end - offset))
                      .setEndOfStream(endOfStream && end == bytes.length))
              .build());
      offset = end;
    } while (offset < bytes.length);
    if (endOfStream) {
      finish();
    }
  }

  /**
   * Half-closes the stream; an EPP that has not ended its side the response-phase timeout after its
   * answer to the response headers (or after that answer's own timeout) is cancelled.
   */
  private void finish() {
    stream.end();
    Future<ResponseHeaderMutation> answered =
        responsePhase == null ? Future.succeededFuture() : responsePhase.future();
    answered.onComplete(ar -> vertx.setTimer(Math.max(1, lingerMs), id -> cancel()));
  }

  /** Gives up on the stream (timeout, no completion record). */
  void cancel() {
    if (stream != null && !closed) {
      closed = true;
      stream.cancel();
    }
    if (responsePhase != null) {
      responsePhase.tryFail(new EppUnavailable("the stream was cancelled"));
    }
  }

  private void fail(String why) {
    if (answer.tryFail(new EppUnavailable(why))) {
      cancel();
    }
  }
}
