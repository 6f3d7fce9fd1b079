package io.igw.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * CPU time (user + system) of processes from Linux's {@code /proc/<pid>/stat}: an NGINX's workers
 * (the children of the master in its prefix's logs/nginx.pid) or one process. Empty where there is
 * no /proc.
 */
final class ProcessCpuTime {
  private final double ticksPerSecond = ticksPerSecond();

  /** Clock ticks the workers of the NGINX in {@code prefix} have used so far. */
  OptionalLong nginxWorkerTicks(Path prefix) {
    try {
      long master = Long.parseLong(Files.readString(prefix.resolve("logs/nginx.pid")).strip());
      List<ProcessHandle> workers =
          ProcessHandle.of(master).map(p -> p.children().toList()).orElse(List.of());
      if (workers.isEmpty()) {
        return OptionalLong.empty();
      }
      long sum = 0;
      for (ProcessHandle w : workers) {
        OptionalLong t = ticks(w.pid());
        if (t.isEmpty()) {
          return OptionalLong.empty();
        }
        sum += t.getAsLong();
      }
      return OptionalLong.of(sum);
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Clock ticks (utime + stime) of {@code pid}, all its threads. */
  OptionalLong ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // after the command name in parentheses (which may hold spaces): state is field 3, utime 14
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** {@code ticks} in microseconds. */
  double micros(long ticks) {
    return ticks * 1e6 / ticksPerSecond;
  }

  /** {@code getconf CLK_TCK}; 100 (Linux's USER_HZ) when it does not answer. */
  private static double ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return Double.parseDouble(out);
      }
    } catch (IOException | NumberFormatException e) {
      // the default below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
