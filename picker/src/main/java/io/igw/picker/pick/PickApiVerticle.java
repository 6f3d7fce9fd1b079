package io.igw.picker.pick;

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
 * One pick API server on this verticle's event loop. Deployed several times ({@link #deploy}), the instances share
 * one listening socket and Vert.x hands them connections in turn, so picks run on several event loops. The
 * {@link PickApi} is shared between them: everything a pick touches is thread-safe (see {@code PickerServerImpl}).
 */
public final class PickApiVerticle extends VerticleBase {
  /**
   * Vert.x shares a socket between servers of the same host and port, but port 0 gives each server a port of its
   * own; a negative port is Vert.x's "one free port shared by every server that names this negative port". One per
   * deployment, so two pickers in one Vert.x never share a port.
   */
  private static final AtomicInteger SHARED_FREE_PORTS = new AtomicInteger();

  /** A deployment of the pick API: its id (to undeploy) and the port it listens on. */
  public record Deployment(String id, int port) {}

  private final PickApi api;
  private final HttpServerOptions options;
  private volatile HttpServer server;

  private PickApiVerticle(PickApi api, HttpServerOptions options) {
    this.api = api;
    this.options = options;
  }

  /** Deploys {@code instances} servers of {@code api} on {@code options}' host and port (0: a free one). */
  public static Future<Deployment> deploy(Vertx vertx, PickApi api, HttpServerOptions options, int instances) {
    HttpServerOptions shared = new HttpServerOptions(options);
    if (options.getPort() == 0) {
      shared.setPort(-1 - SHARED_FREE_PORTS.getAndIncrement());
    }
    List<PickApiVerticle> started = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      PickApiVerticle verticle = new PickApiVerticle(api, shared);
      started.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(id -> new Deployment(id, started.get(0).port()));
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(options);
    return server.requestHandler(api.router(vertx)).listen();
  }

  /**
   * Closes the server's connections at once. A graceful shutdown would still answer the next request on an idle
   * keep-alive connection (with {@code connection: close}), so NGINX would get picks from a picker that has stopped.
   */
  @Override
  public Future<?> stop() {
    return server.shutdown(0, java.util.concurrent.TimeUnit.SECONDS);
  }

  private int port() {
    return server.actualPort();
  }
}
