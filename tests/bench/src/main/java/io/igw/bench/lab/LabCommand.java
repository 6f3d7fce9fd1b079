package io.igw.bench.lab;

import io.igw.bench.log.BenchLog;
import io.igw.bench.report.BenchReport;
import io.igw.bench.report.MarkdownSummary;
import io.igw.bench.report.PolicyRun;
import io.igw.bench.report.ResultsFolder;
import io.igw.bench.report.RunProvenance;
import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.PromptText;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.bench.workload.TraceFile;
import io.igw.bench.workload.WorkloadPreset;
import io.igw.bench.workload.WorkloadPresets;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab <workload>}: every policy replays the workload's sequence on virtual time; writes the
 * results.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description =
        "routing lab: the picker's live pick path vs baselines on simulated engines, virtual time")
public final class LabCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      description =
          "workload: shared-prefix, shared-prefix-llmd, hot-prefix, long-question, multi-turn, "
              + "multi-turn-long, chat-mix, multi-lora, mixed-priority, trace")
  String workload;

  @Option(names = "--quick", description = "fewer, shorter load steps")
  boolean quick;

  @Option(names = "--trace", description = "JSONL trace to replay (workload 'trace')")
  Path trace;

  @Option(names = "--window", defaultValue = "60", description = "trace: seconds per reported step")
  double windowSeconds;

  @Option(
      names = "--policies",
      split = ",",
      description = "policies (default all), or name=EndpointPickerConfig.yaml")
  List<String> policies = new ArrayList<>();

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed of the request sequence and the pickers")
  long seed;

  @Option(
      names = "--servers",
      description = "number of simulated servers (default: the workload's)")
  Integer servers;

  @Option(names = "--ladder", description = "QPS steps, comma-separated (default: the workload's)")
  String ladder;

  @Option(
      names = "--step-seconds",
      description = "seconds per step (with --ladder; default 60, 30 with --quick)")
  Double stepSeconds;

  @Option(
      names = "--profile",
      description = "engine profile: llama-8b-h100, qwen3-32b-h100-tp2, llama-70b-h100-tp4")
  String profile;

  @Option(names = "--max-loras", description = "adapters a server holds at once")
  Integer maxLoras;

  @Option(
      names = "--output-tokens",
      description = "shared-prefix: output tokens per request (default 1000)")
  Integer outputTokens;

  @Option(
      names = "--base-model",
      description = "trace: the base model (other names are LoRA adapters)")
  String baseModel;

  @Option(
      names = "--timeout",
      defaultValue = "" + LabSettings.DEFAULT_TIMEOUT_SECONDS,
      description = "seconds a client waits for a request to finish (default: ${DEFAULT-VALUE})")
  double timeoutSeconds;

  @Option(
      names = "--scrape-interval-ms",
      defaultValue = "" + LabSettings.DEFAULT_SCRAPE_INTERVAL_MILLIS,
      description =
          "how often the picker's view of each server is refreshed, virtual ms (default: ${DEFAULT-VALUE})")
  long scrapeIntervalMillis;

  @Option(
      names = "--prefix-audit",
      description =
          "per pick, the approximate prefix index's predicted hit against "
              + "the engine's cached tokens: prefix-audit.csv and a table per picker policy")
  boolean prefixAudit;

  @Option(
      names = "--kv-event-delay-ms",
      defaultValue = "0",
      description =
          "precise policies: virtual ms from an engine step to its KV events in the index (default: ${DEFAULT-VALUE})")
  double kvEventDelayMillis;

  @Option(
      names = "--kv-event-loss",
      defaultValue = "0",
      description =
          "precise policies: fraction of KV event batches lost, 0..1 (default: ${DEFAULT-VALUE})")
  double kvEventLoss;

  @Option(
      names = "--kv-event-replay",
      description =
          "precise policies: a lost batch is replayed when the next one shows the gap (1 s cooldown per server)")
  boolean kvEventReplay;

  @Option(
      names = "--kv-event-outage",
      description =
          "precise policies: SERVER@FROM+SECONDS, e.g. 0@60+30: server 0's KV event batches lost from 60 s for 30 s of virtual time")
  String kvEventOutage;

  @Option(
      names = "--client-max-in-flight",
      defaultValue = "0",
      description =
          "requests the clients have out at once; later arrivals wait in the client, their latencies start when sent (default 0: open loop)")
  int clientMaxInFlight;

  @Option(names = "--threads", description = "policies run at once (default: the number of cores)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--results", defaultValue = "results", description = "results root folder")
  Path results;

  @Override
  public Integer call() throws Exception {
    WorkloadPreset preset = preset();
    EngineConfig engine = engine(preset);
    RequestSequence sequence = sequence(preset, engine);
    if (scrapeIntervalMillis < 1 || scrapeIntervalMillis > 60_000) {
      throw new IllegalArgumentException(
          "--scrape-interval-ms must be 1..60000, got " + scrapeIntervalMillis);
    }
    LabSettings settings =
        new LabSettings(
            preset.servers(),
            engine,
            scrapeIntervalMillis,
            preset.baseModel(),
            seed,
            timeoutSeconds,
            new KvEventDelivery(
                kvEventDelayMillis,
                kvEventLoss,
                kvEventReplay,
                kvEventOutage == null
                    ? KvEventDelivery.Outage.NONE
                    : KvEventDelivery.Outage.parse(kvEventOutage)),
            clientMaxInFlight);
    List<Policy> selected = Policies.select(policies);
    BenchLog.STDERR.event(
        "lab_start",
        "workload",
        sequence.workload(),
        "requests",
        sequence.size(),
        "steps",
        sequence.ladder().size(),
        "servers",
        settings.servers(),
        "profile",
        engine.profile().name(),
        "policies",
        String.join(",", selected.stream().map(Policy::name).toList()));
    Map<String, PrefixAudit> audits = new java.util.concurrent.ConcurrentHashMap<>();
    List<PolicyRun> runs =
        runAll(new RoutingLab(settings, BenchLog.STDERR), selected, sequence, audits, engine);
    BenchReport report =
        BenchReport.of(
            "lab",
            sequence.workload(),
            RunProvenance.commandLine(),
            setup(preset, sequence, settings),
            sequence.ladder(),
            runs);
    Path folder = ResultsFolder.write(results, report);
    System.out.println(MarkdownSummary.render(report));
    writeAudits(folder, selected, audits, sequence.ladder());
    BenchLog.STDERR.event("lab_results", "folder", folder);
    return 0;
  }

  /**
   * Policies run side by side ({@code --threads}); each has its own engines and router, so runs are
   * independent.
   */
  private List<PolicyRun> runAll(
      RoutingLab lab,
      List<Policy> selected,
      RequestSequence sequence,
      Map<String, PrefixAudit> audits,
      EngineConfig engine)
      throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(threads, selected.size())));
    try {
      List<Future<PolicyRun>> futures = new ArrayList<>();
      for (Policy policy : selected) {
        futures.add(
            pool.submit(
                () -> {
                  LabObserver observer = LabObserver.NONE;
                  if (prefixAudit) {
                    PrefixAudit audit =
                        new PrefixAudit(
                            PromptText.forProfile(engine.profile()).renderer(), engine.blockSize());
                    audits.put(policy.name(), audit);
                    observer = audit;
                  }
                  PolicyRun run = lab.run(policy, sequence, observer);
                  BenchLog.STDERR.event(
                      "lab_policy_done",
                      "policy",
                      policy.name(),
                      "wall_s",
                      String.format(Locale.ROOT, "%.1f", run.wallSeconds()));
                  return run;
                }));
      }
      List<PolicyRun> runs = new ArrayList<>();
      for (Future<PolicyRun> f : futures) {
        runs.add(f.get());
      }
      return runs;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The audited policies' tables (standard output) and rows ({@code prefix-audit.csv}), in report
   * order.
   */
  private static void writeAudits(
      Path folder, List<Policy> selected, Map<String, PrefixAudit> audits, LoadLadder ladder)
      throws java.io.IOException {
    boolean first = true;
    for (Policy policy : selected) {
      PrefixAudit audit = audits.get(policy.name());
      if (audit == null || !audit.audited()) {
        continue;
      }
      List<PrefixAudit.Row> rows = audit.rows();
      PrefixAuditReport.writeCsv(folder.resolve("prefix-audit.csv"), policy.name(), rows, !first);
      first = false;
      System.out.println(PrefixAuditReport.markdown(policy.name(), rows, ladder));
    }
  }

  private WorkloadPreset preset() {
    WorkloadPreset preset;
    if ("trace".equals(workload)) {
      if (trace == null) {
        throw new IllegalArgumentException("workload trace needs --trace FILE");
      }
      String base = baseModel == null ? WorkloadPresets.SMALL_MODEL : baseModel;
      preset =
          new WorkloadPreset(
              "trace",
              "trace " + trace,
              null,
              null,
              null,
              8,
              EngineConfig.of(EngineProfile.LLAMA_8B_H100),
              base);
    } else {
      preset = WorkloadPresets.named(workload);
    }
    return servers == null ? preset : preset.withServers(servers);
  }

  private RequestSequence sequence(WorkloadPreset preset, EngineConfig engine)
      throws java.io.IOException {
    if (preset.workload() == null) {
      return TraceFile.read(trace, windowSeconds, seed, PromptText.forProfile(engine.profile()));
    }
    LoadLadder chosen =
        ladder == null
            ? preset.ladder(quick)
            : LoadLadder.parse(ladder, stepSeconds != null ? stepSeconds : quick ? 30 : 60);
    if (ladder == null && stepSeconds != null) {
      chosen = chosen.scaled(stepSeconds / chosen.step(0).durationSeconds());
    }
    if (outputTokens != null) {
      if (!(preset.workload() instanceof SharedPrefixWorkload shared)) {
        throw new IllegalArgumentException("--output-tokens applies to shared-prefix only");
      }
      return shared.withOutputTokens(outputTokens).generate(chosen, seed);
    }
    return preset.workload().generate(chosen, seed);
  }

  private EngineConfig engine(WorkloadPreset preset) {
    EngineConfig engine = preset.engine();
    if (profile != null) {
      engine = EngineConfig.of(EngineProfile.named(profile)).withMaxLoras(engine.maxLoras());
    }
    return maxLoras == null ? engine : engine.withMaxLoras(maxLoras);
  }

  private static List<String> setup(
      WorkloadPreset preset, RequestSequence sequence, LabSettings settings) {
    EngineConfig e = settings.engine();
    String outputNote =
        sequence.requests().isEmpty()
            ? ""
            : "; output tokens of the first request: " + sequence.requests().get(0).outputTokens();
    return List.of(
        "workload: " + preset.description() + outputNote,
        "ladder: "
            + sequence.ladder().steps().stream().map(s -> fmt(s.qps())).toList()
            + " QPS, "
            + fmt(sequence.ladder().step(0).durationSeconds())
            + " s of Poisson arrivals per step, "
            + sequence.size()
            + " requests, seed "
            + settings.seed(),
        "servers: "
            + settings.servers()
            + " simulated vLLM engines, profile "
            + e.profile().name()
            + ", max-num-seqs "
            + e.maxNumSeqs()
            + ", max-num-batched-tokens "
            + e.maxNumBatchedTokens()
            + ", KV cache "
            + e.numGpuBlocks()
            + " blocks of "
            + e.blockSize()
            + " tokens, max-loras "
            + e.maxLoras()
            + "; prompts tokenized with "
            + e.profile().encoding()
            + ", chat template "
            + e.profile().chatTemplate().id()
            + ", prompt lengths exact in those tokens",
        "picker view: metrics scraped every "
            + settings.scrapeIntervalMillis()
            + " ms of virtual time; "
            + "throughput = tokens delivered during the step / step duration; latencies by arrival step; clients "
            + "give up after "
            + fmt(settings.timeoutSeconds())
            + " s (counted as errors, TTFT censored at the "
            + "timeout)"
            + (settings.clientMaxInFlight() > 0
                ? "; at most "
                    + settings.clientMaxInFlight()
                    + " requests in flight from the clients (later arrivals wait, latencies from the send)"
                : "; open loop"),
        settings.kvEvents().describe(),
        "code: git " + RunProvenance.gitRevision());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
