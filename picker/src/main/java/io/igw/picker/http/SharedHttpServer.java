package io.igw.picker.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One HTTP server on several event loops: deployed as many verticle instances sharing one listening
 * socket, Vert.x hands them connections in turn. The pick API and the response relay are served
 * this way.
 */
public final class SharedHttpServer extends VerticleBase {
  /**
   * Vert.x shares a socket between servers of the same host and port, but port 0 gives each server
   * a port of its own; a negative port is Vert.x's "one free port shared by every server that names
   * this negative port". One per deployment, so two deployments in one Vert.x never share a port.
   */
  private static final AtomicInteger SHARED_FREE_PORTS = new AtomicInteger();

  /** A deployment: its id (to undeploy) and the port it listens on. */
  public record Deployment(String id, int port) {}

  private final Function<Vertx, Handler<HttpServerRequest>> handler;
  private final HttpServerOptions options;
  private volatile HttpServer server;

  private SharedHttpServer(
      Function<Vertx, Handler<HttpServerRequest>> handler, HttpServerOptions options) {
    this.handler = handler;
    this.options = options;
  }

  /**
   * Deploys {@code instances} servers on {@code options}' host and port (0: a free one), each
   * serving the handler {@code handler} makes for its Vert.x.
   */
  public static Future<Deployment> deploy(
      Vertx vertx,
      Function<Vertx, Handler<HttpServerRequest>> handler,
      HttpServerOptions options,
      int instances) {
    HttpServerOptions shared = new HttpServerOptions(options);
    if (options.getPort() == 0) {
      shared.setPort(-1 - SHARED_FREE_PORTS.getAndIncrement());
    }
    List<SharedHttpServer> started = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> {
              SharedHttpServer verticle = new SharedHttpServer(handler, shared);
              started.add(verticle);
              return verticle;
            },
            new DeploymentOptions().setInstances(instances))
        .map(id -> new Deployment(id, started.get(0).port()));
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(options);
    return server.requestHandler(handler.apply(vertx)).listen();
  }

  /**
   * Closes the server's connections at once. A graceful shutdown would still answer the next
   * request on an idle keep-alive connection (with {@code connection: close}), so NGINX would be
   * served by a process that has stopped.
   */
  @Override
  public Future<?> stop() {
    return server.shutdown(0, java.util.concurrent.TimeUnit.SECONDS);
  }

  private int port() {
    return server.actualPort();
  }
}
