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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code live <workload>}: starts the cluster once, then replays the same sequence through the igw
 * route, round-robin and least_conn in turn, emptying the servers' prefix caches before each.
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
      defaultValue = "default",
      description =
          "the picker's built-in EndpointPickerConfig: default (igw) or reference (upstream default)")
  String schedulerPreset;

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
            schedulerPreset);
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
    try (LiveCluster cluster = LiveCluster.start(settings, work, log)) {
      Map<String, URI> known =
          Map.of(
              "igw",
              cluster.igwUri(),
              "round-robin",
              cluster.roundRobinUri(),
              "least-conn",
              cluster.leastConnUri());
      Map<String, URI> targets = new LinkedHashMap<>();
      for (String name : targetNames) {
        URI uri = known.get(name);
        if (uri == null) {
          throw new IllegalArgumentException(
              "unknown target " + name + " (known: igw, round-robin, least-conn)");
        }
        targets.put(
            name.equals("igw") && !schedulerPreset.equals("default")
                ? "igw-" + schedulerPreset
                : name,
            uri);
      }
      LoadGenerator generator =
          new LoadGenerator(
              timeScale,
              timeoutSeconds,
              serverNames(settings),
              PromptText.forProfile(preset.engine().profile()),
              log);
      for (URI uri : targets.values()) {
        generator.warmUp(uri, preset.baseModel(), WARM_UP_REQUESTS);
      }
      for (Map.Entry<String, URI> target : targets.entrySet()) {
        cluster.resetPrefixCaches();
        PolicyRun run = generator.run(target.getKey(), target.getValue(), sequence);
        log.event(
            "live_policy_done", "policy", run.policy(), "wall_s", Math.round(run.wallSeconds()));
        runs.add(run);
        Thread.sleep(1000);
      }
    }
    BenchReport report =
        BenchReport.of(
            "live",
            sequence.workload(),
            RunProvenance.commandLine(),
            setup(preset, sequence, settings),
            sequence.ladder(),
            runs);
    Path folder = ResultsFolder.write(results, report);
    System.out.println(MarkdownSummary.render(report));
    log.event("live_results", "folder", folder, "logs", work);
    return 0;
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
      WorkloadPreset preset, RequestSequence sequence, LiveSettings s) {
    return List.of(
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
        "code: git " + RunProvenance.gitRevision());
  }
}
