package io.igw.bench;

import io.igw.api.log.EventLine;
import io.igw.api.log.EventLineFormatter;
import io.igw.bench.faults.FaultsCommand;
import io.igw.bench.lab.LabCommand;
import io.igw.bench.live.LiveCommand;
import io.igw.bench.overhead.OverheadCommand;
import io.igw.bench.report.RunProvenance;
import io.igw.bench.workload.WorkloadPresets;
import java.time.Instant;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code igw-bench}: the routing lab (virtual time, one JVM), the live benchmark (NGINX + njs +
 * picker + simulated servers) and the gateway overhead test. {@code ./igw bench <workload>} runs
 * the lab.
 */
@Command(
    name = "igw-bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      LabCommand.class,
      LiveCommand.class,
      OverheadCommand.class,
      FaultsCommand.class,
      BenchMain.ListCommand.class
    },
    description =
        "igw benchmarks: lab (virtual time), live (real NGINX), overhead, faults; see docs/benchmarks.md")
public final class BenchMain {
  public static void main(String[] args) {
    RunProvenance.commandLine(args);
    EventLineFormatter.install(System.err, Level.INFO);
    System.exit(
        new CommandLine(new BenchMain())
            .setExecutionExceptionHandler(BenchMain::failed)
            .execute(args));
  }

  /**
   * A benchmark that cannot go on ends with one line, {@code event=bench_failed}, and status 1: no
   * trace.
   */
  static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    System.err.println(
        EventLine.of(
            Instant.now(),
            "WARNING",
            "bench_failed",
            "command",
            command.getCommandName(),
            "error_type",
            e.getClass().getSimpleName(),
            "error",
            EventLine.describe(e)));
    return 1;
  }

  @Command(name = "list", description = "the built-in workloads")
  static final class ListCommand implements Runnable {
    @Override
    public void run() {
      WorkloadPresets.all()
          .values()
          .forEach(p -> System.out.println(p.name() + "\t" + p.description()));
    }
  }
}
