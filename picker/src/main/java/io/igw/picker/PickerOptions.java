package io.igw.picker;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.igw.picker.core.PickOptions;
import io.igw.picker.extproc.ExtProcOptions;
import io.igw.picker.flowcontrol.FlowControlOptions;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.options.OptionsJson;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.ratelimit.RateLimitOptions;
import io.igw.picker.relay.RelayOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * Options of a {@link PickerServer}, one object per concern: the pick API ({@link #getPickApi}),
 * the collector, the completion feed, flow control, ext_proc (server and bridge), the response
 * relay, the core's picks (scheduler config, endpoints per pick, staleness, clock). The pools and
 * pods come from Kubernetes ({@link #setKubernetes}), from {@link #setResources explicit resources}
 * or, when neither is set, from a {@link #setManifestsFolder manifest folder}. The JSON form
 * ({@link #toJson}, {@link #PickerOptions(JsonObject)}) has a field per concern; resources, a
 * Kubernetes client, the clock and the random source are not part of it.
 */
public class PickerOptions {
  private String manifestsFolder;
  private List<HasMetadata> resources;
  private boolean kubernetes;
  private String kubernetesNamespace;
  private KubernetesClient kubernetesClient;
  private PickApiOptions pickApi = new PickApiOptions();
  private CollectorOptions collector = new CollectorOptions();
  private CompletionFeedOptions completionFeed = new CompletionFeedOptions();
  private FlowControlOptions flowControl = new FlowControlOptions();
  private RateLimitOptions rateLimit = new RateLimitOptions();
  private ExtProcOptions extProc = new ExtProcOptions();
  private RelayOptions relay = new RelayOptions();
  private PickOptions pick = new PickOptions();

  public PickerOptions() {}

  /**
   * Reads the JSON form; a bad field fails naming it ({@code pickApi.pickThreads must be at least
   * 1, got 0}).
   */
  public PickerOptions(JsonObject json) {
    manifestsFolder = OptionsJson.string(json, "manifestsFolder", manifestsFolder);
    kubernetes = OptionsJson.bool(json, "kubernetes", kubernetes);
    kubernetesNamespace = OptionsJson.string(json, "kubernetesNamespace", kubernetesNamespace);
    pickApi = OptionsJson.nested(json, "pickApi", PickApiOptions::new);
    collector = OptionsJson.nested(json, "collector", CollectorOptions::new);
    completionFeed = OptionsJson.nested(json, "completionFeed", CompletionFeedOptions::new);
    flowControl = OptionsJson.nested(json, "flowControl", FlowControlOptions::new);
    rateLimit = OptionsJson.nested(json, "rateLimit", RateLimitOptions::new);
    extProc = OptionsJson.nested(json, "extProc", ExtProcOptions::new);
    relay = OptionsJson.nested(json, "relay", RelayOptions::new);
    pick = OptionsJson.nested(json, "pick", PickOptions::new);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (manifestsFolder != null) {
      json.put("manifestsFolder", manifestsFolder);
    }
    json.put("kubernetes", kubernetes);
    if (kubernetesNamespace != null) {
      json.put("kubernetesNamespace", kubernetesNamespace);
    }
    return json.put("pickApi", pickApi.toJson())
        .put("collector", collector.toJson())
        .put("completionFeed", completionFeed.toJson())
        .put("flowControl", flowControl.toJson())
        .put("rateLimit", rateLimit.toJson())
        .put("extProc", extProc.toJson())
        .put("relay", relay.toJson())
        .put("pick", pick.toJson());
  }

  /** The HTTP pick API: host, port, event loops, body limit. */
  public PickApiOptions getPickApi() {
    return pickApi;
  }

  public PickerOptions setPickApi(PickApiOptions pickApi) {
    this.pickApi = Objects.requireNonNull(pickApi, "pickApi must be set");
    return this;
  }

  /**
   * How endpoints are scraped ({@code /metrics}) and asked for their models ({@code /v1/models}).
   */
  public CollectorOptions getCollector() {
    return collector;
  }

  public PickerOptions setCollector(CollectorOptions collector) {
    this.collector = Objects.requireNonNull(collector, "collector must be set");
    return this;
  }

  /** The syslog completion feed (NGINX's access log lines) and in-flight expiry. */
  public CompletionFeedOptions getCompletionFeed() {
    return completionFeed;
  }

  public PickerOptions setCompletionFeed(CompletionFeedOptions completionFeed) {
    this.completionFeed = Objects.requireNonNull(completionFeed, "completionFeed must be set");
    return this;
  }

  /** Flow control on regardless of the EndpointPickerConfig's feature gate. */
  public FlowControlOptions getFlowControl() {
    return flowControl;
  }

  public PickerOptions setFlowControl(FlowControlOptions flowControl) {
    this.flowControl = Objects.requireNonNull(flowControl, "flowControl must be set");
    return this;
  }

  /** Token rate limits: where the buckets live (memory, or Redis shared by replicas). */
  public RateLimitOptions getRateLimit() {
    return rateLimit;
  }

  public PickerOptions setRateLimit(RateLimitOptions rateLimit) {
    this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit must be set");
    return this;
  }

  /** The ext_proc server (standard EPP) and the bridge to foreign EPPs. */
  public ExtProcOptions getExtProc() {
    return extProc;
  }

  public PickerOptions setExtProc(ExtProcOptions extProc) {
    this.extProc = Objects.requireNonNull(extProc, "extProc must be set");
    return this;
  }

  /**
   * The response relay for bridged pools (relay mode of the controller's {@code
   * --epp-response-phase}).
   */
  public RelayOptions getRelay() {
    return relay;
  }

  public PickerOptions setRelay(RelayOptions relay) {
    this.relay = Objects.requireNonNull(relay, "relay must be set");
    return this;
  }

  /**
   * The core's picks: scheduler config, endpoints per pick, staleness, and the clock the whole
   * picker reads.
   */
  public PickOptions getPick() {
    return pick;
  }

  public PickerOptions setPick(PickOptions pick) {
    this.pick = Objects.requireNonNull(pick, "pick must be set");
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

  /**
   * Kubernetes mode: pools, pods, objectives, models and rewrites come from informers (the
   * in-cluster or kubeconfig client, or {@link #setKubernetesClient the given one}) instead of
   * manifests.
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
}
