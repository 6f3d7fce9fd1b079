package io.igw.bench.live;

import java.util.List;
import java.util.Set;

/**
 * The live cluster: {@code servers} simulated servers on 127.0.0.{41..} sharing {@code serverPort},
 * running {@code timeScale} times faster than real time; the picker scrapes every {@code 50 /
 * timeScale} ms so its view is as fresh, in simulated time, as in production. Ports are fixed
 * (documented, overridable) so a failed run is easy to inspect. With {@code staticBackend}, NGINX
 * answering from memory stands in for the servers (overhead test). {@code schedulerPresets}: the
 * picker's presets, one igw run each, in order; when one of them subscribes to KV events ({@link
 * #KV_EVENT_PRESETS}) every server publishes its events on its own address, as a vLLM pod does.
 */
public record LiveSettings(
    int servers,
    double timeScale,
    String profile,
    String baseModel,
    int serverPort,
    int pickerPort,
    int igwPort,
    int roundRobinPort,
    int leastConnPort,
    int directPort,
    int nginxWorkers,
    List<Objective> objectives,
    boolean staticBackend,
    List<String> schedulerPresets) {

  public LiveSettings(
      int servers,
      double timeScale,
      String profile,
      String baseModel,
      int serverPort,
      int pickerPort,
      int igwPort,
      int roundRobinPort,
      int leastConnPort,
      int directPort,
      int nginxWorkers,
      List<Objective> objectives,
      boolean staticBackend) {
    this(
        servers,
        timeScale,
        profile,
        baseModel,
        serverPort,
        pickerPort,
        igwPort,
        roundRobinPort,
        leastConnPort,
        directPort,
        nginxWorkers,
        objectives,
        staticBackend,
        List.of("default"));
  }

  public static final String FIRST_IP_PREFIX = "127.0.0.";
  public static final int FIRST_IP = 41;
  public static final int DEFAULT_SERVER_PORT = 18400;
  public static final int DEFAULT_PICKER_PORT = 18490;
  public static final int DEFAULT_IGW_PORT = 18481;
  public static final int DEFAULT_ROUND_ROBIN_PORT = 18482;
  public static final int DEFAULT_LEAST_CONN_PORT = 18483;
  public static final int DEFAULT_DIRECT_PORT = 18484;
  public static final long PRODUCTION_SCRAPE_INTERVAL_MS = 50;

  /** The picker's built-in presets that subscribe to the servers' KV events. */
  public static final Set<String> KV_EVENT_PRESETS = Set.of("precise");

  /** vLLM's KV-event ports, the ones the precise preset dials on each pod's address. */
  public static final int KV_EVENTS_PORT = 5557;

  public static final int KV_EVENTS_REPLAY_PORT = 5558;

  /** An InferenceObjective the manifests declare. */
  public record Objective(String name, int priority) {}

  public LiveSettings {
    objectives = List.copyOf(objectives);
    schedulerPresets = List.copyOf(schedulerPresets);
    if (schedulerPresets.isEmpty()
        || Set.copyOf(schedulerPresets).size() != schedulerPresets.size()) {
      throw new IllegalArgumentException(
          "scheduler presets must be distinct and at least one: " + schedulerPresets);
    }
  }

  /** Whether the servers publish KV events: one of the presets subscribes to them. */
  public boolean kvEvents() {
    return schedulerPresets.stream().anyMatch(KV_EVENT_PRESETS::contains);
  }

  /** Server {@code index}'s KV-event topic, llm-d's {@code kv@<pod IP>@<model>}. */
  public String kvEventsTopic(int index) {
    return "kv@" + serverIp(index) + "@" + baseModel;
  }

  public String serverIp(int index) {
    return FIRST_IP_PREFIX + (FIRST_IP + index);
  }

  public String serverAddress(int index) {
    return serverIp(index) + ":" + serverPort;
  }

  public long scrapeIntervalMs() {
    return Math.max(5, Math.round(PRODUCTION_SCRAPE_INTERVAL_MS / timeScale));
  }
}
