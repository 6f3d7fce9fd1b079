package io.igw.picker;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * Options of a {@link PickerServer}. The pools and pods come from Kubernetes ({@link #setKubernetes}), from
 * {@link #setResources explicit resources} or, when neither is set, from a {@link #setManifestsFolder manifest
 * folder}.
 */
public class PickerOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9001;
  public static final long DEFAULT_SCRAPE_INTERVAL_MS = 50;
  public static final long DEFAULT_MODELS_INTERVAL_MS = 2000;
  public static final long DEFAULT_SCRAPE_TIMEOUT_MS = 1000;
  public static final int DEFAULT_MAX_CONCURRENT_SCRAPES = 64;
  public static final long DEFAULT_MAX_METRICS_BYTES = 4L * 1024 * 1024;
  public static final long DEFAULT_STALE_AFTER_MS = 2000;
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  public static final int DEFAULT_MAX_ENDPOINTS_PER_PICK = 3;
  public static final String DEFAULT_SCHEDULER_PRESET = "default";
  /** The completion feed is off unless a port is set. */
  public static final int DEFAULT_COMPLETION_FEED_PORT = -1;
  public static final long DEFAULT_IN_FLIGHT_EXPIRY_MS = 300_000;
  /** One pick API event loop per processor the JVM may use. */
  public static final int DEFAULT_PICK_THREADS = Runtime.getRuntime().availableProcessors();

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String manifestsFolder;
  private List<HasMetadata> resources;
  private long scrapeIntervalMs = DEFAULT_SCRAPE_INTERVAL_MS;
  private long modelsIntervalMs = DEFAULT_MODELS_INTERVAL_MS;
  private long scrapeTimeoutMs = DEFAULT_SCRAPE_TIMEOUT_MS;
  private int maxConcurrentScrapes = DEFAULT_MAX_CONCURRENT_SCRAPES;
  private long maxMetricsBytes = DEFAULT_MAX_METRICS_BYTES;
  private long staleAfterMs = DEFAULT_STALE_AFTER_MS;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int maxEndpointsPerPick = DEFAULT_MAX_ENDPOINTS_PER_PICK;
  private int pickThreads = DEFAULT_PICK_THREADS;
  private int completionFeedPort = DEFAULT_COMPLETION_FEED_PORT;
  private long inFlightExpiryMs = DEFAULT_IN_FLIGHT_EXPIRY_MS;
  private boolean kubernetes;
  private String kubernetesNamespace;
  private KubernetesClient kubernetesClient;
  private String schedulerConfigFile;
  private String schedulerPreset = DEFAULT_SCHEDULER_PRESET;
  private Clock clock = Clock.systemUTC();
  private boolean flowControl;
  private io.igw.picker.extproc.ExtProcOptions extProc = new io.igw.picker.extproc.ExtProcOptions();
  private io.igw.picker.relay.RelayOptions relay = new io.igw.picker.relay.RelayOptions();

  public PickerOptions() {}

  /** Reads the JSON-representable options; resources and clock stay at their defaults. */
  public PickerOptions(JsonObject json) {
    host = json.getString("host", host);
    port = json.getInteger("port", port);
    manifestsFolder = json.getString("manifestsFolder", manifestsFolder);
    scrapeIntervalMs = json.getLong("scrapeIntervalMs", scrapeIntervalMs);
    modelsIntervalMs = json.getLong("modelsIntervalMs", modelsIntervalMs);
    scrapeTimeoutMs = json.getLong("scrapeTimeoutMs", scrapeTimeoutMs);
    maxConcurrentScrapes = json.getInteger("maxConcurrentScrapes", maxConcurrentScrapes);
    maxMetricsBytes = json.getLong("maxMetricsBytes", maxMetricsBytes);
    staleAfterMs = json.getLong("staleAfterMs", staleAfterMs);
    maxBodyBytes = json.getLong("maxBodyBytes", maxBodyBytes);
    maxEndpointsPerPick = json.getInteger("maxEndpointsPerPick", maxEndpointsPerPick);
    setPickThreads(json.getInteger("pickThreads", pickThreads));
    schedulerConfigFile = json.getString("schedulerConfigFile", schedulerConfigFile);
    schedulerPreset = json.getString("schedulerPreset", schedulerPreset);
    completionFeedPort = json.getInteger("completionFeedPort", completionFeedPort);
    inFlightExpiryMs = json.getLong("inFlightExpiryMs", inFlightExpiryMs);
    kubernetes = json.getBoolean("kubernetes", kubernetes);
    flowControl = json.getBoolean("flowControl", flowControl);
    kubernetesNamespace = json.getString("kubernetesNamespace", kubernetesNamespace);
    if (json.getJsonObject("extProc") != null) {
      extProc = new io.igw.picker.extproc.ExtProcOptions(json.getJsonObject("extProc"));
    }
    if (json.getJsonObject("relay") != null) {
      relay = new io.igw.picker.relay.RelayOptions(json.getJsonObject("relay"));
    }
  }

  /** The ext_proc server (standard EPP) and the bridge to foreign EPPs. */
  public io.igw.picker.extproc.ExtProcOptions getExtProc() {
    return extProc;
  }

  public PickerOptions setExtProc(io.igw.picker.extproc.ExtProcOptions extProc) {
    this.extProc = extProc;
    return this;
  }

  /** The response relay for bridged pools (relay mode of the controller's {@code --epp-response-phase}). */
  public io.igw.picker.relay.RelayOptions getRelay() {
    return relay;
  }

  public PickerOptions setRelay(io.igw.picker.relay.RelayOptions relay) {
    this.relay = relay;
    return this;
  }

  public String getHost() {
    return host;
  }

  public PickerOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** Port of the HTTP pick API; 0 picks a free one (see {@link PickerServer#port()}). */
  public int getPort() {
    return port;
  }

  public PickerOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getManifestsFolder() {
    return manifestsFolder;
  }

  public PickerOptions setManifestsFolder(String manifestsFolder) {
    this.manifestsFolder = manifestsFolder;
    return this;
  }

  /** Already parsed resources (pools, pods, ...); when set, the manifest folder is not read. */
  public List<HasMetadata> getResources() {
    return resources;
  }

  public PickerOptions setResources(List<HasMetadata> resources) {
    this.resources = resources == null ? null : List.copyOf(resources);
    return this;
  }

  public long getScrapeIntervalMs() {
    return scrapeIntervalMs;
  }

  public PickerOptions setScrapeIntervalMs(long scrapeIntervalMs) {
    this.scrapeIntervalMs = scrapeIntervalMs;
    return this;
  }

  public long getModelsIntervalMs() {
    return modelsIntervalMs;
  }

  public PickerOptions setModelsIntervalMs(long modelsIntervalMs) {
    this.modelsIntervalMs = modelsIntervalMs;
    return this;
  }

  public long getScrapeTimeoutMs() {
    return scrapeTimeoutMs;
  }

  public PickerOptions setScrapeTimeoutMs(long scrapeTimeoutMs) {
    this.scrapeTimeoutMs = scrapeTimeoutMs;
    return this;
  }

  public int getMaxConcurrentScrapes() {
    return maxConcurrentScrapes;
  }

  public PickerOptions setMaxConcurrentScrapes(int maxConcurrentScrapes) {
    this.maxConcurrentScrapes = maxConcurrentScrapes;
    return this;
  }

  public long getMaxMetricsBytes() {
    return maxMetricsBytes;
  }

  public PickerOptions setMaxMetricsBytes(long maxMetricsBytes) {
    this.maxMetricsBytes = maxMetricsBytes;
    return this;
  }

  /** An endpoint whose scrapes have failed this long is no longer picked. */
  public long getStaleAfterMs() {
    return staleAfterMs;
  }

  public PickerOptions setStaleAfterMs(long staleAfterMs) {
    this.staleAfterMs = staleAfterMs;
    return this;
  }

  /** Largest request body accepted on {@code /pick}; larger is 413. */
  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public PickerOptions setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /** Length of the ordered endpoint list (pick plus fallbacks). */
  /** How many event loops serve the pick API (instances sharing its port); at least 1. */
  public int getPickThreads() {
    return pickThreads;
  }

  public PickerOptions setPickThreads(int pickThreads) {
    if (pickThreads < 1) {
      throw new IllegalArgumentException("pickThreads must be at least 1, got " + pickThreads);
    }
    this.pickThreads = pickThreads;
    return this;
  }

  public int getMaxEndpointsPerPick() {
    return maxEndpointsPerPick;
  }

  public PickerOptions setMaxEndpointsPerPick(int maxEndpointsPerPick) {
    this.maxEndpointsPerPick = maxEndpointsPerPick;
    return this;
  }

  /**
   * UDP port (on {@link #getHost() host}) of the syslog completion feed: NGINX's access log lines
   * (docs/pick-api.md); 0 picks a free one, negative turns it off.
   */
  public int getCompletionFeedPort() {
    return completionFeedPort;
  }

  public PickerOptions setCompletionFeedPort(int completionFeedPort) {
    this.completionFeedPort = completionFeedPort;
    return this;
  }

  /** A request whose completion never arrives stops counting as in flight after this long. */
  public long getInFlightExpiryMs() {
    return inFlightExpiryMs;
  }

  public PickerOptions setInFlightExpiryMs(long inFlightExpiryMs) {
    this.inFlightExpiryMs = inFlightExpiryMs;
    return this;
  }

  /**
   * Kubernetes mode: pools, pods, objectives, models and rewrites come from informers (the in-cluster or kubeconfig
   * client, or {@link #setKubernetesClient the given one}) instead of manifests.
   */
  public boolean isKubernetes() {
    return kubernetes || kubernetesClient != null;
  }

  public PickerOptions setKubernetes(boolean kubernetes) {
    this.kubernetes = kubernetes;
    return this;
  }

  /** The namespace watched in Kubernetes mode; null watches all. */
  public String getKubernetesNamespace() {
    return kubernetesNamespace;
  }

  public PickerOptions setKubernetesNamespace(String kubernetesNamespace) {
    this.kubernetesNamespace = kubernetesNamespace;
    return this;
  }

  /** A client to use in Kubernetes mode (tests, embedding); the caller closes it. */
  public KubernetesClient getKubernetesClient() {
    return kubernetesClient;
  }

  public PickerOptions setKubernetesClient(KubernetesClient kubernetesClient) {
    this.kubernetesClient = kubernetesClient;
    return this;
  }

  /** An EndpointPickerConfig YAML file; when unset, the {@link #setSchedulerPreset preset} is used. */
  public String getSchedulerConfigFile() {
    return schedulerConfigFile;
  }

  public PickerOptions setSchedulerConfigFile(String schedulerConfigFile) {
    this.schedulerConfigFile = schedulerConfigFile;
    return this;
  }

  /** A built-in EndpointPickerConfig: {@code default} (igw's) or {@code reference} (the upstream default). */
  public String getSchedulerPreset() {
    return schedulerPreset;
  }

  public PickerOptions setSchedulerPreset(String schedulerPreset) {
    this.schedulerPreset = schedulerPreset;
    return this;
  }

  /**
   * Flow control on even when the EndpointPickerConfig does not enable its {@code flowControl} feature gate: with
   * the config's {@code flowControl} section if it has one, else the defaults. Off by default.
   */
  public boolean isFlowControl() {
    return flowControl;
  }

  public PickerOptions setFlowControl(boolean flowControl) {
    this.flowControl = flowControl;
    return this;
  }

  /** The clock all scheduling and staleness reads. */
  public Clock getClock() {
    return clock;
  }

  public PickerOptions setClock(Clock clock) {
    this.clock = clock;
    return this;
  }
}
