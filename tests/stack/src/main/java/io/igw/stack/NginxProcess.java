package io.igw.stack;

import io.igw.controller.apply.LoopbackTargets;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real NGINX in the foreground ({@code daemon off}) on the config in its prefix, which may send
 * only to loopback addresses; stopped (and its ports freed) on close.
 */
public final class NginxProcess implements AutoCloseable {
  private final NginxBinary binary;
  private final NginxPrefix prefix;
  private final ManagedProcess process;

  private NginxProcess(NginxBinary binary, NginxPrefix prefix, ManagedProcess process) {
    this.binary = binary;
    this.prefix = prefix;
    this.process = process;
  }

  /** Starts NGINX on {@code prefix}'s conf/nginx.conf, its standard output and error in log. */
  public static NginxProcess start(String name, NginxBinary binary, NginxPrefix prefix, Path log)
      throws IOException {
    LoopbackTargets.check(prefix.conf());
    return new NginxProcess(
        binary,
        prefix,
        ManagedProcess.start(name, command(binary, prefix, "-g", "daemon off;"), log));
  }

  private static List<String> command(NginxBinary binary, NginxPrefix prefix, String... more) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                binary.executable().toString(),
                "-p",
                prefix.root() + "/",
                "-c",
                prefix.conf().toString()));
    command.addAll(List.of(more));
    return command;
  }

  /**
   * {@code nginx -s reload}: the master re-reads its config and replaces its workers gracefully.
   */
  public void reload(Path log) throws IOException, InterruptedException {
    LoopbackTargets.check(prefix.conf());
    ManagedProcess.runToEnd("nginx reload", command(binary, prefix, "-s", "reload"), log);
  }

  /** The master process. */
  public ManagedProcess process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public NginxPrefix prefix() {
    return prefix;
  }

  /** logs/error.log as it is now ("" before NGINX wrote one). */
  public String errorLog() {
    try {
      Path log = prefix.root().resolve("logs/error.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
