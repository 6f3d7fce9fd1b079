package io.igw.picker.relay;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One relay listener on this verticle's event loop. Deployed several times ({@link #deploy}), the instances share one
 * socket, so relayed streams spread over several event loops; a request stays on the loop of its NGINX connection.
 */
public final class RelayVerticle extends VerticleBase {
  /**
   * Port 0 would give each instance a port of its own; a negative one is Vert.x's "one free port, shared". Counted
   * from 1000 so that it is never one of the pick API's ({@code PickApiVerticle}) in the same Vert.x.
   */
  private static final AtomicInteger SHARED_FREE_PORTS = new AtomicInteger(1000);

  /** A deployment of the relay: its id (to undeploy) and the port it listens on. */
  public record Deployment(String id, int port) {}

  private final ResponseRelay relay;
  private final HttpServerOptions options;
  private volatile HttpServer server;

  private RelayVerticle(ResponseRelay relay, HttpServerOptions options) {
    this.relay = relay;
    this.options = options;
  }

  /** Deploys {@code instances} listeners of {@code relay} on {@code options}' host and port (0: a free one). */
  public static Future<Deployment> deploy(Vertx vertx, ResponseRelay relay, HttpServerOptions options, int instances) {
    // NGINX speaks HTTP/1.1 to the relay; bodies pass as the server sent them
    HttpServerOptions shared = new HttpServerOptions(options).setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false).setDecompressionSupported(false);
    if (options.getPort() == 0) {
      shared.setPort(-1 - SHARED_FREE_PORTS.getAndIncrement());
    }
    List<RelayVerticle> started = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      RelayVerticle verticle = new RelayVerticle(relay, shared);
      started.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(id -> new Deployment(id, started.get(0).port()));
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(options);
    return server.requestHandler(relay::handle).listen();
  }

  private int port() {
    return server.actualPort();
  }
}
