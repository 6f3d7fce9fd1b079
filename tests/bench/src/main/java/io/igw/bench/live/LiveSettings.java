package io.igw.bench.live;

import java.util.List;

/**
 * The live cluster: {@code servers} simulated servers on 127.0.0.{41..} sharing {@code serverPort},
 * running {@code timeScale} times faster than real time; the picker scrapes every {@code 50 /
 * timeScale} ms so its view is as fresh, in simulated time, as in production. Ports are fixed
 * (documented, overridable) so a failed run is easy to inspect. With {@code staticBackend}, NGINX
 * answering from memory stands in for the servers (overhead test).
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
    String schedulerPreset) {

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
        "default");
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

  /** An InferenceObjective the manifests declare. */
  public record Objective(String name, int priority) {}

  public LiveSettings {
    objectives = List.copyOf(objectives);
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
