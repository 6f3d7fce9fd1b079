package io.igw.bench.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child process with its output in a log file; stopped with SIGTERM, then killed after 10 s. */
final class ManagedProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ManagedProcess start(String name, List<String> command, Path log) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ManagedProcess(name, process, log);
  }

  /** Runs a command to its end; fails with its output when it exits non-zero. */
  static void runToEnd(String name, List<String> command, Path log) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(name + " failed: " + tail(log));
    }
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  String logTail() {
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
