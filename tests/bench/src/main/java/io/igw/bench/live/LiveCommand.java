package io.igw.bench.live;

import io.igw.bench.log.BenchLog;
import io.igw.bench.report.BenchReport;
import io.igw.bench.report.MarkdownSummary;
import io.igw.bench.report.PolicyRun;
import io.igw.bench.report.ResultsFolder;
import io.igw.bench.report.RunProvenance;
import io.igw.bench.workload.MixedPriorityWorkload;
import io.igw.bench.workload.PromptText;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.WorkloadPreset;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code live <workload>}: starts the cluster once, then replays the same sequence through the igw
 * route, round-robin and least_conn in turn, emptying the servers' prefix caches before each. With
 * several scheduler presets the igw route runs once per preset, the picker restarted for each; a
 * KV-event preset's run must show, on the picker's /metrics, event batches received and picks
 * matched on them, or the command fails.
 */
@Command(
    name = "live",
    mixinStandardHelpOptions = true,
    description =
        "live benchmark: real NGINX + njs + picker + simulated servers, igw vs round-robin vs least_conn")
public final class LiveCommand implements Callable<Integer> {
  static final int WARM_UP_REQUESTS = 200;

  @Parameters(index = "0", description = "workload: shared-prefix, mixed-priority")
  String workload;

  @Option(names = "--quick", description = "two short load steps")
  boolean quick;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(
      names = "--time-scale",
      defaultValue = "" + LivePresets.TIME_SCALE,
      description =
          "simulated servers run this many times faster than real time (default: ${DEFAULT-VALUE})")
  double timeScale;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description = "client timeout, simulated seconds")
  double timeoutSeconds;

  @Option(
      names = "--scheduler-preset",
      split = ",",
      defaultValue = "default",
      description =
          "the picker's built-in EndpointPickerConfig: default (igw), precise (KV events: the servers "
              + "then publish theirs) or reference (upstream default); a list runs the igw path once "
              + "per preset, restarting the picker (default: ${DEFAULT-VALUE})")
  List<String> schedulerPresets;

  @Option(
      names = "--targets",
      split = ",",
      defaultValue = "igw,round-robin,least-conn",
      description = "paths to measure, in order (default: ${DEFAULT-VALUE})")
  List<String> targetNames;

  @Option(names = "--results", defaultValue = "results")
  Path results;

  @Override
  public Integer call() throws Exception {
    WorkloadPreset preset = LivePresets.named(workload);
    RequestSequence sequence = preset.workload().generate(preset.ladder(quick), seed);
    LiveSettings settings =
        new LiveSettings(
            preset.servers(),
            timeScale,
            preset.engine().profile().name(),
            preset.baseModel(),
            LiveSettings.DEFAULT_SERVER_PORT,
            LiveSettings.DEFAULT_PICKER_PORT,
            LiveSettings.DEFAULT_IGW_PORT,
            LiveSettings.DEFAULT_ROUND_ROBIN_PORT,
            LiveSettings.DEFAULT_LEAST_CONN_PORT,
            LiveSettings.DEFAULT_DIRECT_PORT,
            1,
            objectives(preset),
            false,
            schedulerPresets);
    Path work = Files.createTempDirectory("igw-live-");
    BenchLog log = BenchLog.STDERR;
    log.event(
        "live_start",
        "workload",
        workload,
        "requests",
        sequence.size(),
        "servers",
        settings.servers(),
        "time_scale",
        timeScale);
    List<PolicyRun> runs = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    try (LiveCluster cluster = LiveCluster.start(settings, work, log)) {
      List<Target> targets = targets(cluster);
      LoadGenerator generator =
          new LoadGenerator(
              timeScale,
              timeoutSeconds,
              serverNames(settings),
              PromptText.forProfile(preset.engine().profile()),
              log);
      for (URI uri : targets.stream().map(Target::uri).distinct().toList()) {
        generator.warmUp(uri, preset.baseModel(), WARM_UP_REQUESTS);
      }
      for (Target target : targets) {
        if (target.preset() != null && cluster.usePreset(target.preset())) {
          generator.warmUp(target.uri(), preset.baseModel(), WARM_UP_REQUESTS);
        }
        boolean precise =
            target.preset() != null && LiveSettings.KV_EVENT_PRESETS.contains(target.preset());
        cluster.resetPrefixCaches();
        PreciseRoutingCounts before =
            precise ? PreciseRoutingCounts.parse(cluster.pickerMetrics()) : null;
        PolicyRun run = generator.run(target.name(), target.uri(), sequence);
        log.event(
            "live_policy_done", "policy", run.policy(), "wall_s", Math.round(run.wallSeconds()));
        if (precise) {
          PreciseRoutingCounts counts =
              PreciseRoutingCounts.parse(cluster.pickerMetrics()).since(before);
          log.event(
              "live_precise_counts",
              "preset",
              target.preset(),
              "batches",
              counts.batches(),
              "index_entries",
              counts.indexEntries(),
              "event_picks",
              counts.eventPicks(),
              "no_token_picks",
              counts.noTokenPicks(),
              "no_event_picks",
              counts.noEventPicks());
          counts.requirePrecise(target.preset(), work);
          checks.add(counts.describe(target.preset()));
        }
        runs.add(run);
        Thread.sleep(1000);
      }
    }
    BenchReport report =
        BenchReport.of(
            "live",
            sequence.workload(),
            RunProvenance.commandLine(),
            setup(preset, sequence, settings, checks),
            sequence.ladder(),
            runs);
    Path folder = ResultsFolder.write(results, report);
    System.out.println(MarkdownSummary.render(report));
    log.event("live_results", "folder", folder, "logs", work);
    return 0;
  }

  /** A measured path: its row name, its address, and for igw the picker preset it needs. */
  record Target(String name, URI uri, String preset) {}

  /** {@code --targets} in order, {@code igw} once per scheduler preset. */
  private List<Target> targets(LiveCluster cluster) {
    Map<String, URI> known =
        Map.of(
            "igw",
            cluster.igwUri(),
            "round-robin",
            cluster.roundRobinUri(),
            "least-conn",
            cluster.leastConnUri());
    List<Target> targets = new ArrayList<>();
    for (String name : targetNames) {
      URI uri = known.get(name);
      if (uri == null) {
        throw new IllegalArgumentException(
            "unknown target " + name + " (known: igw, round-robin, least-conn)");
      }
      if (name.equals("igw")) {
        for (String p : schedulerPresets) {
          targets.add(new Target(p.equals("default") ? "igw" : "igw-" + p, uri, p));
        }
      } else {
        targets.add(new Target(name, uri, null));
      }
    }
    return targets;
  }

  private static List<LiveSettings.Objective> objectives(WorkloadPreset preset) {
    if (preset.workload() instanceof MixedPriorityWorkload m) {
      return List.of(
          new LiveSettings.Objective(m.criticalObjective(), 0),
          new LiveSettings.Objective(m.sheddableObjective(), -1));
    }
    return List.of();
  }

  private static Map<String, Integer> serverNames(LiveSettings settings) {
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < settings.servers(); i++) {
      names.put(settings.serverAddress(i), i);
    }
    return names;
  }

  private static List<String> setup(
      WorkloadPreset preset, RequestSequence sequence, LiveSettings s, List<String> checks) {
    List<String> lines = new ArrayList<>();
    lines.addAll(
        List.of(
            "workload: " + preset.description(),
            "ladder: "
                + sequence.ladder().steps().stream().map(x -> x.qps()).toList()
                + " QPS (simulated time), "
                + sequence.ladder().step(0).durationSeconds()
                + " s per step, "
                + sequence.size()
                + " requests",
            "cluster: NGINX "
                + s.nginxWorkers()
                + " worker + njs → picker (scrape every "
                + s.scrapeIntervalMs()
                + " ms wall = 50 ms simulated) → "
                + s.servers()
                + " simulated vLLM servers (one JVM, profile "
                + s.profile()
                + ", time scale "
                + s.timeScale()
                + "); baselines: a second NGINX with round-robin and "
                + "least_conn upstreams over the same servers",
            "client: java.net.http, open-loop Poisson, streaming, TTFT = first SSE token; latencies in simulated "
                + "seconds (wall × time scale, so gateway overheads count "
                + s.timeScale()
                + "×); prefix caches "
                + "emptied before each policy, after "
                + WARM_UP_REQUESTS
                + " unmeasured warm-up requests per path",
            "picker presets: "
                + String.join(", ", s.schedulerPresets())
                + (s.kvEvents()
                    ? " (the servers publish KV events: kv@<ip>@<model> on ports "
                        + LiveSettings.KV_EVENTS_PORT
                        + "/"
                        + LiveSettings.KV_EVENTS_REPLAY_PORT
                        + " of their own address)"
                    : ""),
            "code: git " + RunProvenance.gitRevision()));
    lines.addAll(checks);
    return lines;
  }
}
