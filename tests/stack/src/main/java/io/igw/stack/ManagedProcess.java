package io.igw.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process with its output in a log file; stopped with SIGTERM, then killed after 10 s. The
 * fault benchmark also kills it (SIGKILL), pauses it (SIGSTOP / SIGCONT) and starts it again with
 * the same command.
 */
public final class ManagedProcess implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Path log;
  private volatile Process process;

  private ManagedProcess(String name, List<String> command, Process process, Path log) {
    this.name = name;
    this.command = List.copyOf(command);
    this.process = process;
    this.log = log;
  }

  public static ManagedProcess start(String name, List<String> command, Path log)
      throws IOException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ManagedProcess(name, command, process, log);
  }

  /**
   * SIGKILL, as a crash or an OOM kill does: no shutdown hook runs. Waits for the process to be
   * gone.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the same command again (after {@link #kill}), its output appended to the same log. */
  public void restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** Sends a signal by name (STOP, CONT, ...) with kill(1). */
  public void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  public long pid() {
    return process.pid();
  }

  /** Runs a command to its end; fails with its output when it exits non-zero. */
  public static void runToEnd(String name, List<String> command, Path log)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(name + " failed: " + tail(log));
    }
  }

  /** The java executable of this JVM, for child JVMs. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return name;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String logTail() {
    return tail(log);
  }

  static String tail(Path log) {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    Process process = this.process;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
