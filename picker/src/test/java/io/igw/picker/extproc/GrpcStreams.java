package io.igw.picker.extproc;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.picker.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw ext_proc streams for tests: send messages as a gateway would, collect every answer and the
 * final status.
 */
final class GrpcStreams {
  record Outcome(List<ProcessingResponse> answers, GrpcStatus status) {}

  private GrpcStreams() {}

  /**
   * One event-loop context per client: requests are made on it, so response handlers are attached
   * on the connection's own thread before any frame of the answer can be processed.
   */
  private static final java.util.Map<GrpcClient, io.vertx.core.Context> CONTEXTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  static GrpcClient tlsClient(Vertx vertx) {
    GrpcClient client =
        GrpcClient.client(
            vertx,
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setSsl(true)
                .setUseAlpn(true)
                .setTrustAll(true)
                .setVerifyHost(false));
    CONTEXTS.put(client, vertx.getOrCreateContext());
    return client;
  }

  /**
   * Sends {@code messages}, half-closes when {@code end}, and waits for the server to end the
   * stream.
   */
  static Outcome exchange(
      GrpcClient client, int port, List<ProcessingRequest> messages, boolean end) {
    Promise<Outcome> done = Promise.promise();
    List<ProcessingResponse> answers = new ArrayList<>();
    Runnable send =
        () ->
            client
                .request(
                    SocketAddress.inetSocketAddress(port, "127.0.0.1"),
                    ExtProcMessages.CLIENT_PROCESS)
                .compose(
                    req -> {
                      messages.forEach(req::write);
                      if (end) {
                        req.end();
                      }
                      return req.response();
                    })
                .onSuccess(
                    resp ->
                        resp.handler(answers::add)
                            .endHandler(
                                v ->
                                    done.tryComplete(
                                        new Outcome(List.copyOf(answers), resp.status())))
                            .exceptionHandler(done::tryFail))
                .onFailure(done::tryFail);
    io.vertx.core.Context context = CONTEXTS.get(client);
    if (context == null) {
      send.run();
    } else {
      context.runOnContext(v -> send.run());
    }
    return Await.result(done.future());
  }

  /** Sends raw bytes as one gRPC message of the Process method; returns the final status. */
  static GrpcStatus raw(GrpcClient client, int port, Buffer message) {
    Future<GrpcStatus> status =
        client
            .request(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
            .compose(
                req -> {
                  req.fullMethodName(
                      ExtProcMessages.SERVICE.fullyQualifiedName() + "/" + ExtProcMessages.METHOD);
                  return req.send(message);
                })
            .compose(resp -> resp.end().transform(ar -> Future.succeededFuture(resp.status())));
    return Await.result(status);
  }
}
