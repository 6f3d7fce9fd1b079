package io.igw.picker.impl;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.manifest.ManifestReader;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.PoolResolver;
import io.igw.picker.director.Director;
import io.igw.picker.metrics.CollectorSettings;
import io.igw.picker.metrics.MetricsCollector;
import io.igw.picker.pick.PickApi;
import io.igw.picker.scheduling.LeastQueueScheduler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.logging.Logger;

/** Wires datastore, collector, director and pick API. */
public final class PickerServerImpl implements PickerServer {
  private static final Logger LOG = Logger.getLogger(PickerServerImpl.class.getName());

  private final HttpServer server;
  private final MetricsCollector collector;

  private PickerServerImpl(HttpServer server, MetricsCollector collector) {
    this.server = server;
    this.collector = collector;
  }

  public static Future<PickerServer> start(Vertx vertx, PickerOptions options) {
    return loadResources(vertx, options).compose(resources -> {
      Datastore datastore = new Datastore();
      datastore.replaceAll(PoolResolver.resolve(resources));
      datastore.pools().forEach(pool -> LOG.info("pool loaded pool=" + pool.name()
          + " endpoints=" + pool.endpoints().size()));
      MetricsCollector collector = new MetricsCollector(vertx, datastore, options.getClock(), settings(options));
      Director director = new Director(datastore, new LeastQueueScheduler(RandomGenerator.getDefault()),
          options.getClock(), options.getStaleAfterMs(), options.getMaxEndpointsPerPick());
      PickApi api = new PickApi(director, datastore, options.getMaxBodyBytes());
      HttpServer server = vertx.createHttpServer(new HttpServerOptions()
          .setHost(options.getHost()).setPort(options.getPort()).setTcpNoDelay(true));
      return server.requestHandler(api.router(vertx)).listen()
          .onSuccess(s -> collector.start())
          .onFailure(e -> collector.close())
          .map(s -> new PickerServerImpl(s, collector));
    });
  }

  private static Future<List<HasMetadata>> loadResources(Vertx vertx, PickerOptions options) {
    if (options.getResources() != null) {
      return Future.succeededFuture(options.getResources());
    }
    if (options.getManifestsFolder() == null) {
      return Future.failedFuture(new IllegalArgumentException("no manifests folder and no resources given"));
    }
    Path folder = Path.of(options.getManifestsFolder());
    return vertx.executeBlocking(() -> new ManifestReader().readFolder(folder), false);
  }

  private static CollectorSettings settings(PickerOptions o) {
    return new CollectorSettings(o.getScrapeIntervalMs(), o.getModelsIntervalMs(), o.getScrapeTimeoutMs(),
        o.getMaxConcurrentScrapes(), o.getMaxMetricsBytes(), o.getStaleAfterMs());
  }

  @Override
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<Void> close() {
    return collector.close().eventually(() -> server.close());
  }
}
