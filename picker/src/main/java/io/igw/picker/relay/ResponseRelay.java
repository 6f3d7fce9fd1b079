package io.igw.picker.relay;

import io.igw.api.InferencePoolSpec;
import io.igw.api.log.LogText;
import io.igw.picker.core.OpenAiError;
import io.igw.picker.core.PickFailure;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.Pool;
import io.igw.picker.extproc.EppBridge;
import io.igw.picker.extproc.EppResponsePhase;
import io.igw.picker.observability.PickerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The relay's request handler: reads what NGINX says about the request ({@link RelayedRequest}) and
 * its body, claims the request's ext_proc stream from the bridge (so its completion record reports
 * nothing), keeps the endpoints that are the pool's in the datastore (none: {@code 502
 * endpoint_not_in_pool}), and hands the rest to a {@link RelayCall}. Model servers are reached over
 * HTTP/1.1, or HTTP/2 cleartext with prior knowledge for {@code kubernetes.io/h2c} pools. Its own
 * refusals are OpenAI errors, decided here.
 */
public final class ResponseRelay {
  private static final Logger LOG = Logger.getLogger(ResponseRelay.class.getName());

  private final Datastore datastore;
  private final EppBridge bridge;
  private final PickerMetrics metrics;
  private final RelayOptions options;
  private final long maxBodyBytes;
  private final HttpClientAgent http1;
  private final HttpClientAgent h2c;

  public ResponseRelay(
      Vertx vertx,
      Datastore datastore,
      EppBridge bridge,
      PickerMetrics metrics,
      RelayOptions options,
      long maxBodyBytes) {
    this.datastore = datastore;
    this.bridge = bridge;
    this.metrics = metrics;
    this.options = options;
    this.maxBodyBytes = maxBodyBytes;
    int connectMs = (int) Math.min(Integer.MAX_VALUE, options.getConnectTimeoutMs());
    this.http1 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(connectMs)
                .setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(options.getMaxConnectionsPerEndpoint()));
    this.h2c =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setConnectTimeout(connectMs)
                .setTcpNoDelay(true),
            new PoolOptions());
  }

  public void handle(HttpServerRequest request) {
    RelayedRequest relayed = RelayedRequest.read(request.headers(), options.getUpstreamTimeoutMs());
    if (relayed == null) {
      LOG.warning(
          "event=relay_refused reason=gateway_misconfigured detail=\"the relay headers NGINX sets are"
              + " missing or malformed\" uri="
              + LogText.value(request.uri()));
      refuse(
          request.response(),
          new PickFailure(500, "server_error", "gateway_misconfigured", "gateway misconfigured"));
      return;
    }
    readBody(request).onSuccess(body -> relay(request, relayed, body));
  }

  /**
   * The whole body (NGINX has buffered it), at most {@code maxBodyBytes}: the request may be sent
   * more than once.
   */
  private Future<Buffer> readBody(HttpServerRequest request) {
    io.vertx.core.Promise<Buffer> read = io.vertx.core.Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > maxBodyBytes) {
            if (read.tryFail(PickFailure.bodyTooLarge(maxBodyBytes))) {
              refuse(request.response(), PickFailure.bodyTooLarge(maxBodyBytes));
            }
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(v -> read.tryComplete(body));
    request.exceptionHandler(read::tryFail);
    return read.future();
  }

  private void relay(HttpServerRequest request, RelayedRequest relayed, Buffer body) {
    EppResponsePhase phase = bridge.claim(relayed.requestId(), relayed.pool());
    Pool pool = datastore.pool(relayed.pool());
    List<Endpoint> endpoints = inPool(pool, relayed);
    if (endpoints.isEmpty()) {
      if (phase != null) {
        phase.cancel();
      }
      refuse(
          request.response(),
          new PickFailure(
              502,
              "server_error",
              "endpoint_not_in_pool",
              "the endpoint picker chose an endpoint outside the pool"));
      return;
    }
    boolean h2 =
        pool.spec() != null && InferencePoolSpec.APP_PROTOCOL_H2C.equals(pool.spec().appProtocol());
    new RelayCall(
            request,
            relayed,
            body,
            endpoints,
            h2 ? h2c : http1,
            phase,
            options.getConnectTimeoutMs(),
            metrics)
        .start();
  }

  /**
   * The relayed endpoints that are the pool's in the datastore, in order; the others are logged and
   * dropped.
   */
  private static List<Endpoint> inPool(Pool pool, RelayedRequest relayed) {
    List<Endpoint> out = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (String address : relayed.endpoints()) {
      Endpoint endpoint =
          pool == null
              ? null
              : pool.endpoints().stream()
                  .map(EndpointState::endpoint)
                  .filter(e -> e.address().equals(address))
                  .findFirst()
                  .orElse(null);
      if (endpoint == null) {
        refused.add(address);
      } else {
        out.add(endpoint);
      }
    }
    if (!refused.isEmpty()) {
      LOG.warning(
          "event=relay_endpoint_refused reason=not_in_pool pool="
              + relayed.pool()
              + " request_id="
              + LogText.value(relayed.requestId())
              + " endpoints="
              + LogText.value(String.join(",", refused))
              + " kept="
              + out.size());
    }
    return out;
  }

  /** A refusal of the relay's own, as an OpenAI error. */
  static void refuse(HttpServerResponse response, PickFailure failure) {
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(failure.status())
        .putHeader("content-type", "application/json")
        .end(OpenAiError.body(failure));
  }

  public Future<Void> close() {
    return Future.join(http1.close(), h2c.close()).mapEmpty();
  }
}
