package io.igw.bench.lab;

import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.PoolName;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.VirtualTimeEngine;

/**
 * One simulated model server in the lab: its engine on virtual time, the picker's view of it (an
 * {@link EndpointState} fed by {@link #scrape}), and the requests the gateway has in flight to it (what NGINX's
 * {@code least_conn} counts).
 */
public final class LabServer {
  public static final PoolName POOL = new PoolName("bench", "lab-pool");
  public static final int PORT = 8000;

  private final int index;
  private final VirtualTimeEngine engine;
  private final EndpointState state;
  private int inFlight;

  public LabServer(int index, EngineConfig config) {
    this.index = index;
    this.engine = new VirtualTimeEngine(config);
    String ip = "10.0." + (index / 250) + "." + (index % 250 + 1);
    this.state = new EndpointState(Endpoint.of(POOL, "sim-" + index, ip, PORT, Endpoint.DEFAULT_ENGINE));
  }

  public int index() {
    return index;
  }

  public VirtualTimeEngine engine() {
    return engine;
  }

  public EndpointState state() {
    return state;
  }

  public int inFlight() {
    return inFlight;
  }

  void started() {
    inFlight++;
  }

  void finished() {
    inFlight--;
  }

  /** What the picker's collector would read now: the engine advanced to {@code seconds}, then its metrics. */
  void scrape(double seconds) {
    engine.advanceTo(seconds);
    long picksAtStart = state.picksIssued();
    state.recordScrape(EngineMetrics.toSnapshot(engine.snapshot(), Math.round(seconds * 1000)), picksAtStart);
  }
}
