package io.igw.simulator;

import io.igw.simulator.http.SimulatorVerticle;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** One simulated vLLM model server listening on its own address. */
public interface SimulatorServer {

  /** Starts a server; the future completes once it listens. */
  static Future<SimulatorServer> start(Vertx vertx, SimulatorOptions options) {
    SimulatorVerticle verticle = new SimulatorVerticle(new SimulatorOptions(options));
    return vertx
        .deployVerticle(verticle)
        .map(
            id ->
                new SimulatorServer() {
                  @Override
                  public int port() {
                    return verticle.port();
                  }

                  @Override
                  public String host() {
                    return verticle.host();
                  }

                  @Override
                  public String name() {
                    return verticle.name();
                  }

                  @Override
                  public String kvEventsEndpoint() {
                    return verticle.kvEventsEndpoint();
                  }

                  @Override
                  public String kvEventsReplayEndpoint() {
                    return verticle.kvEventsReplayEndpoint();
                  }

                  @Override
                  public Future<Void> close() {
                    return verticle.close();
                  }
                });
  }

  /** The port it listens on (the real one when the options asked for 0). */
  int port();

  String host();

  /** Its name in logs and in the {@code x-igw-served-by} response header; host:port unless set. */
  String name();

  /**
   * The KV events PUB socket's address (its real port), or null when the server publishes no KV
   * events.
   */
  String kvEventsEndpoint();

  /** The KV events replay socket's address, or null without one. */
  String kvEventsReplayEndpoint();

  Future<Void> close();
}
