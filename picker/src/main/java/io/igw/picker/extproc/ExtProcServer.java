package io.igw.picker.extproc;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.api.log.LogText;
import io.igw.picker.core.PickObserver;
import io.igw.picker.core.PickService;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Pool;
import io.igw.picker.datastore.PoolName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;
import java.util.logging.Logger;

/**
 * The picker as a standard EPP: serves {@code envoy.service.ext_proc.v3.ExternalProcessor/Process}
 * with the same in-process pick service the HTTP pick API uses, and gRPC health ({@code
 * grpc.health.v1.Health}) for the services {@code liveness}, {@code readiness} (a pool is known)
 * and the ext_proc service name; TLS when a certificate is given. An Envoy-based gateway configured
 * like the reference EPP's (request body FULL_DUPLEX_STREAMED) uses it as is.
 */
public final class ExtProcServer {
  private static final Logger LOG = Logger.getLogger(ExtProcServer.class.getName());

  /** A stream is open for each request in flight at the gateway. */
  static final long MAX_CONCURRENT_STREAMS = 10_000;

  /**
   * The gateway resets a stream whenever its client goes away: Vert.x's HTTP/2 rapid-reset guard
   * (200 resets in 30 s) would answer a busy gateway's normal aborts with GOAWAY ENHANCE_YOUR_CALM
   * and fail every pick on its connection. This still bounds a reset flood.
   */
  static final int MAX_RESETS_PER_30_S = 100_000;

  private final PickService picks;
  private final PickObserver refusals;
  private final Datastore datastore;
  private final PoolName configuredPool;
  private final long maxBodyBytes;
  private HttpServer server;

  private ExtProcServer(
      ExtProcOptions options, PickService picks, PickObserver refusals, Datastore datastore) {
    this.picks = picks;
    this.refusals = refusals;
    this.datastore = datastore;
    this.configuredPool = options.getPool() == null ? null : PoolName.parse(options.getPool());
    this.maxBodyBytes = options.getMaxBodyBytes();
  }

  /**
   * Listens on {@code options}' host and port. {@code refusals}: told of the requests refused
   * before they reach {@code picks} (a body too large, no pool to pick for).
   */
  public static Future<ExtProcServer> start(
      Vertx vertx,
      ExtProcOptions options,
      PickService picks,
      PickObserver refusals,
      Datastore datastore) {
    ExtProcServer ext = new ExtProcServer(options, picks, refusals, datastore);
    String host = options.getHost();
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ExtProcMessages.SERVER_PROCESS, ext::handleStream);
    grpc.addService(
        HealthService.create(vertx)
            .register("liveness", () -> Future.succeededFuture(true))
            .register("readiness", () -> Future.succeededFuture(!datastore.pools().isEmpty()))
            .register(
                ExtProcMessages.SERVICE.fullyQualifiedName(), () -> Future.succeededFuture(true)));
    HttpServerOptions http =
        new HttpServerOptions()
            .setHost(host)
            .setPort(options.getPort())
            .setTcpNoDelay(true)
            .setInitialSettings(
                new io.vertx.core.http.Http2Settings()
                    .setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS))
            .setHttp2RstFloodMaxRstFramePerWindow(MAX_RESETS_PER_30_S)
            .setHttp2RstFloodWindowDuration(30)
            .setHttp2RstFloodWindowDurationTimeUnit(java.util.concurrent.TimeUnit.SECONDS);
    if (options.getCertPath() != null && options.getKeyPath() != null) {
      http.setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(options.getCertPath())
                  .setKeyPath(options.getKeyPath()));
    }
    ext.server = vertx.createHttpServer(http).requestHandler(grpc);
    return vertx
        .executeBlocking(ExtProcServer::loadDescriptors, false)
        .compose(v -> ext.server.listen())
        .map(
            s -> {
              LOG.info(
                  "event=ext_proc_listening address="
                      + host
                      + ":"
                      + s.actualPort()
                      + " tls="
                      + http.isSsl()
                      + " pool="
                      + (ext.configuredPool == null ? "(the only one)" : ext.configuredPool));
              return ext;
            });
  }

  /**
   * Envoy's descriptors take seconds to initialise: done here, not on the event loop of the first
   * stream.
   */
  static Void loadDescriptors() {
    ProcessingRequest.getDescriptor();
    ProcessingResponse.getDescriptor();
    ProcessingRequest.getDefaultInstance().toBuilder().build();
    return null;
  }

  private void handleStream(GrpcServerRequest<ProcessingRequest, ProcessingResponse> call) {
    ProcessingStream stream =
        new ProcessingStream(call.response(), picks, refusals, this::pool, maxBodyBytes);
    call.handler(stream::onMessage);
    call.invalidMessageHandler(
        e -> {
          LOG.warning(
              "event=ext_proc_stream_rejected reason=\"bad protobuf\" error="
                  + LogText.value(e.getMessage()));
          stream.fail("malformed ProcessingRequest");
        });
    call.errorHandler(error -> stream.onReset());
    call.exceptionHandler(e -> stream.onReset());
    call.endHandler(v -> stream.onEnd());
  }

  /** The configured pool, else the only pool the picker knows, else none. */
  private PoolName pool() {
    if (configuredPool != null) {
      return configuredPool;
    }
    List<Pool> pools = datastore.pools();
    return pools.size() == 1 ? pools.get(0).name() : null;
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
