package io.igw.bench.faults;

import io.igw.bench.log.BenchLog;
import io.igw.bench.report.RunProvenance;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faults}: starts the fault cluster once and runs every case on it in turn, one table row
 * each; writes {@code results/<ts>-faults/summary.json} and summary.md; exits 1 when any goal is
 * missed.
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description =
        "faults under load through real NGINX + picker + simulated servers, each case against its goal")
public final class FaultsCommand implements Callable<Integer> {
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Option(names = "--quick", description = "shorter cases and a 2-minute soak")
  boolean quick;

  @Option(
      names = "--minutes",
      description = "soak length in minutes (default: 30, or 2 with --quick)")
  Integer minutes;

  @Option(
      names = "--rps",
      defaultValue = "" + FaultCases.DEFAULT_RPS,
      description =
          "rate of the load during the picker, EPP, reload and server cases (default: ${DEFAULT-VALUE})")
  double rps;

  @Option(names = "--cases", split = ",", description = "run only these cases (default: all)")
  List<String> only;

  @Option(names = "--results", defaultValue = "results")
  Path results;

  private interface Case {
    CaseResult run() throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    int soakMinutes = minutes != null ? minutes : quick ? 2 : 30;
    Path work = Files.createTempDirectory("igw-faults-");
    List<CaseResult> rows = new ArrayList<>();
    BenchLog log = BenchLog.STDERR;
    log.event(
        "faults_start", "quick", quick, "rps", rps, "soak_minutes", soakMinutes, "work", work);
    try (FaultCluster cluster = FaultCluster.start(work, log)) {
      FaultLoad load = new FaultLoad(cluster.igwUri(), FaultCluster.MODEL, Duration.ofSeconds(30));
      load.run(
          50,
          Duration.ofSeconds(quick ? 5 : 10),
          i -> FaultCases.streamed(i % 2 == 0 ? "close" : "open", 8));
      FaultCases cases = new FaultCases(cluster, load, quick, rps, log);
      Map<String, Case> all = new LinkedHashMap<>();
      all.put("baseline", cases::baseline);
      all.put("picker-killed-failopen", cases::pickerKilledFailOpen);
      all.put("picker-killed-failclose", cases::pickerKilledFailClose);
      all.put("foreign-epp-killed-failopen", cases::foreignEppKilled);
      all.put("reload-storm", cases::reloadStorm);
      all.put("server-killed-before-headers", cases::serverKilledBeforeHeaders);
      all.put("server-killed-mid-stream", cases::serverKilledMidStream);
      all.put("server-hangs", cases::serverHangs);
      all.put("slow-clients", cases::slowClients);
      all.put("large-prompts", cases::largePrompts);
      all.put("soak", () -> new SoakCase(cluster, load, cases, log).run(soakMinutes));
      for (Map.Entry<String, Case> c : all.entrySet()) {
        if (only != null && !only.contains(c.getKey())) {
          continue;
        }
        log.event("faults_case_start", "case", c.getKey());
        CaseResult row;
        try {
          row = c.getValue().run();
        } catch (Exception e) {
          row = CaseResult.broken(c.getKey(), "(did not run)", e);
        }
        log.event(
            "faults_case_done",
            "case",
            row.name(),
            "requests",
            row.requests(),
            "failed",
            row.failed(),
            "met",
            row.met(),
            "measured",
            row.measuredText());
        rows.add(row);
        Thread.sleep(1000);
      }
    }
    Path folder = write(rows, soakMinutes);
    System.out.println(table(rows));
    log.event("faults_results", "folder", folder, "logs", work);
    return rows.stream().allMatch(CaseResult::met) ? 0 : 1;
  }

  private Path write(List<CaseResult> rows, int soakMinutes) throws java.io.IOException {
    Path folder =
        Files.createDirectories(results.resolve(LocalDateTime.now().format(STAMP) + "-faults"));
    JsonArray summary = new JsonArray();
    rows.forEach(r -> summary.add(r.toJson()));
    Files.writeString(folder.resolve("summary.json"), summary.encodePrettily() + "\n");
    for (CaseResult r : rows) {
      Files.writeString(folder.resolve(r.name() + ".csv"), r.csv());
    }
    String md =
        "# faults\n\ncommand: `"
            + RunProvenance.commandLine()
            + "` (soak "
            + soakMinutes
            + " min)\n\n"
            + "code: git "
            + RunProvenance.gitRevision()
            + "\n\n"
            + table(rows)
            + "\n";
    Files.writeString(folder.resolve("summary.md"), md);
    return folder;
  }

  static String table(List<CaseResult> rows) {
    StringBuilder out =
        new StringBuilder(
            "| case | requests | failed | met | goal | measured |\n|---|---|---|---|---|---|\n");
    for (CaseResult r : rows) {
      out.append("| ")
          .append(r.name())
          .append(" | ")
          .append(r.requests())
          .append(" | ")
          .append(r.failed())
          .append(" | ")
          .append(r.met() ? "yes" : "**no**")
          .append(" | ")
          .append(r.goal())
          .append(" | ")
          .append(r.measuredText())
          .append(" |\n");
    }
    return out.toString();
  }
}
