package io.igw.picker.impl;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.manifest.ManifestReader;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.PolicyResolver;
import io.igw.picker.datastore.PoolResolver;
import io.igw.picker.director.Director;
import io.igw.picker.metrics.CollectorSettings;
import io.igw.picker.metrics.MetricsCollector;
import io.igw.picker.pick.PickApi;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.scheduling.config.PluginRegistry;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.List;
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
    return vertx.executeBlocking(() -> new Loaded(readResources(options), schedulerConfig(options)), false)
        .compose(loaded -> listen(vertx, options, loaded));
  }

  /** What start-up reads from files. */
  private record Loaded(List<HasMetadata> resources, SchedulerConfig scheduling) {}

  private static Future<PickerServer> listen(Vertx vertx, PickerOptions options, Loaded loaded) {
    Datastore datastore = new Datastore();
    datastore.replaceAll(PoolResolver.resolve(loaded.resources()));
    datastore.replacePolicies(PolicyResolver.resolve(loaded.resources()));
    datastore.pools().forEach(pool -> LOG.info("pool loaded pool=" + pool.name()
        + " endpoints=" + pool.endpoints().size()));
    MetricsCollector collector = new MetricsCollector(vertx, datastore, options.getClock(), settings(options));
    Director director = new Director(datastore, loaded.scheduling(), options.getClock(), null,
        options.getStaleAfterMs(), options.getMaxEndpointsPerPick());
    PickApi api = new PickApi(director, datastore, options.getMaxBodyBytes());
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(options.getHost()).setPort(options.getPort()).setTcpNoDelay(true));
    return server.requestHandler(api.router(vertx)).listen()
        .onSuccess(s -> collector.start())
        .onFailure(e -> collector.close())
        .map(s -> new PickerServerImpl(s, collector));
  }

  private static List<HasMetadata> readResources(PickerOptions options) {
    if (options.getResources() != null) {
      return options.getResources();
    }
    if (options.getManifestsFolder() == null) {
      throw new IllegalArgumentException("no manifests folder and no resources given");
    }
    return new ManifestReader().readFolder(Path.of(options.getManifestsFolder()));
  }

  /** The config file when given, else the named preset; a bad config fails start-up with its message. */
  private static SchedulerConfig schedulerConfig(PickerOptions options) {
    if (options.getSchedulerConfigFile() != null) {
      return new EndpointPickerConfigLoader(PluginRegistry.builtIn())
          .loadFile(Path.of(options.getSchedulerConfigFile()));
    }
    return EndpointPickerConfigLoader.preset(options.getSchedulerPreset());
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
