package io.igw.bench;

import io.igw.api.log.EventLine;
import io.igw.api.log.EventLineFormatter;
import io.igw.bench.faults.FaultsCommand;
import io.igw.bench.lab.LabCommand;
import io.igw.bench.live.LiveCommand;
import io.igw.bench.overhead.OverheadCommand;
import io.igw.bench.workload.WorkloadPresets;
import java.time.Instant;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code igw-bench}: the routing lab (virtual time, one JVM), the live benchmark (NGINX + njs + picker + simulated
 * servers) and the gateway overhead test. {@code ./igw bench <workload>} runs the lab.
 */
@Command(name = "igw-bench", mixinStandardHelpOptions = true,
    subcommands = {LabCommand.class, LiveCommand.class, OverheadCommand.class, FaultsCommand.class,
        BenchMain.ListCommand.class},
    description = "igw benchmarks: lab (virtual time), live (real NGINX), overhead, faults; see docs/benchmarks.md")
public final class BenchMain {
  /** The command line as typed, for the reports. */
  static String commandLine = "./igw bench";

  public static String commandLine() {
    return commandLine;
  }

  /** {@code git describe --always --dirty} of the working tree, or "unknown": which picker and simulator ran. */
  public static String gitRevision() {
    try {
      Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (java.io.IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  public static void main(String[] args) {
    commandLine = "./igw bench " + String.join(" ", args);
    EventLineFormatter.install(System.err, Level.INFO);
    System.exit(new CommandLine(new BenchMain()).setExecutionExceptionHandler(BenchMain::failed).execute(args));
  }

  /** A benchmark that cannot go on ends with one line, {@code event=bench_failed}, and status 1: no trace. */
  static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    System.err.println(EventLine.of(Instant.now(), "WARNING", "bench_failed", "command", command.getCommandName(),
        "error_type", e.getClass().getSimpleName(), "error", EventLine.describe(e)));
    return 1;
  }

  @Command(name = "list", description = "the built-in workloads")
  static final class ListCommand implements Runnable {
    @Override
    public void run() {
      WorkloadPresets.all().values().forEach(p -> System.out.println(p.name() + "\t" + p.description()));
    }
  }
}
