package io.igw.bench.lab;

import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.PoolName;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.VirtualTimeEngine;

/**
 * One simulated model server in the lab: its engine on virtual time, its address as a pool lists it
 * ({@link #endpoint}), and the requests the gateway has in flight to it (what NGINX's {@code
 * least_conn} counts).
 */
public final class LabServer {
  public static final PoolName POOL = new PoolName("bench", "lab-pool");
  public static final int PORT = 8000;

  private final int index;
  private final VirtualTimeEngine engine;
  private final Endpoint endpoint;
  private int inFlight;

  public LabServer(int index, EngineConfig config) {
    this.index = index;
    this.engine = new VirtualTimeEngine(config);
    // loopback, though nothing connects: the lab runs on virtual time
    String ip = "127.100." + (index / 250) + "." + (index % 250 + 1);
    this.endpoint = Endpoint.of(POOL, "sim-" + index, ip, PORT, Endpoint.DEFAULT_ENGINE);
  }

  public int index() {
    return index;
  }

  public VirtualTimeEngine engine() {
    return engine;
  }

  /** The server as the lab's pool lists it: a ready pod of {@link #POOL}, a vLLM engine. */
  public Endpoint endpoint() {
    return endpoint;
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
}
