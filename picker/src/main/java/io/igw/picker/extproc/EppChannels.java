package io.igw.picker.extproc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.client.GrpcClient;
import java.util.EnumMap;
import java.util.Map;

/**
 * The bridge's gRPC clients, one per {@link EppTls} mode. Each keeps persistent HTTP/2 connections
 * per EPP address and multiplexes every stream over them: never a connection per pick.
 */
final class EppChannels {
  static final int CONNECT_TIMEOUT_MS = 1000;
  static final int KEEP_ALIVE_SECONDS = 300;
  static final int HTTP2_CONNECTIONS = 4;

  private final Vertx vertx;
  private final String trustPath;
  private final Map<EppTls, GrpcClient> clients = new EnumMap<>(EppTls.class);
  private final java.util.List<io.vertx.core.http.HttpClient> httpClients =
      new java.util.ArrayList<>();

  EppChannels(Vertx vertx, String trustPath) {
    this.vertx = vertx;
    this.trustPath = trustPath;
  }

  synchronized GrpcClient client(EppTls tls) {
    return clients.computeIfAbsent(tls, this::create);
  }

  private GrpcClient create(EppTls tls) {
    HttpClientOptions http =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setConnectTimeout(CONNECT_TIMEOUT_MS)
            .setTcpNoDelay(true)
            .setHttp2KeepAliveTimeout(KEEP_ALIVE_SECONDS);
    if (tls != EppTls.PLAINTEXT) {
      http.setSsl(true).setUseAlpn(true);
      if (tls == EppTls.INSECURE_SKIP_VERIFY) {
        http.setTrustAll(true).setVerifyHost(false);
      } else if (trustPath != null) {
        http.setTrustOptions(new PemTrustOptions().addCertPath(trustPath));
      }
    }
    // A stream stays open per in-flight request (response phase): several multiplexed connections
    // per EPP, so the
    // EPP's max-concurrent-streams setting does not cap the requests in flight.
    io.vertx.core.http.HttpClient channels =
        vertx.createHttpClient(http, new PoolOptions().setHttp2MaxSize(HTTP2_CONNECTIONS));
    httpClients.add(channels);
    return GrpcClient.client(vertx, channels);
  }

  synchronized Future<Void> close() {
    return Future.join(clients.values().stream().map(GrpcClient::close).toList())
        .eventually(
            () ->
                Future.join(
                    httpClients.stream().map(io.vertx.core.http.HttpClient::close).toList()))
        .mapEmpty();
  }
}
