package io.igw.stack;

import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The running parts of a gateway under test, in a work folder: child processes (NGINX, JVMs) with
 * their logs there, and in-process servers, each added as it starts and all stopped in reverse
 * order on close, also after a start that failed half way. Waits for a part to answer fail as soon
 * as a child that must stay alive exits.
 */
public final class TestStack implements AutoCloseable {
  private final Path work;
  private final Duration readyTimeout;
  private final long pollMillis;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private final List<ManagedProcess> mustStayAlive = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private NginxBinary nginx;

  /**
   * @param work where the logs (and the prefixes of {@link #prefix}) go; made if missing
   * @param readyTimeout the longest wait for one part to answer
   * @param pollMillis how often a wait asks again
   */
  public TestStack(Path work, Duration readyTimeout, long pollMillis) throws IOException {
    this.work = Files.createDirectories(work);
    this.readyTimeout = readyTimeout;
    this.pollMillis = pollMillis;
  }

  /** A harness that owns a stack: started by {@code start}, closed when that throws. */
  public interface Harness<H extends AutoCloseable> {
    void start(H harness) throws Exception;
  }

  /** Runs {@code start} on {@code harness}; closes it (every part started so far) if it fails. */
  public static <H extends AutoCloseable> H startOrClose(H harness, Harness<H> start)
      throws Exception {
    try {
      start.start(harness);
      return harness;
    } catch (Exception e) {
      harness.close();
      throw e;
    }
  }

  /** NGINX and its njs module on this machine. */
  public static NginxBinary findNginx() throws IOException {
    return NginxBinary.find().orElseThrow(() -> new IOException("nginx not found: run ./igw deps"));
  }

  /** {@link #findNginx}, looked up once per stack. */
  public NginxBinary nginx() throws IOException {
    if (nginx == null) {
      nginx = findNginx();
    }
    return nginx;
  }

  public Path work() {
    return work;
  }

  /** A new NGINX prefix (conf/, logs/, tmp/) in the work folder. */
  public NginxPrefix prefix(String name) {
    return new NginxPrefix(work.resolve(name)).create();
  }

  /** A part started by the caller (an in-process server, a supervisor), stopped with the rest. */
  public <T extends AutoCloseable> T add(T part) {
    parts.push(part);
    return part;
  }

  /** Starts a child whose exit fails every wait; its output in {@code <work>/<name>.log}. */
  public ManagedProcess start(String name, List<String> command) throws IOException {
    ManagedProcess process = startKillable(name, command);
    mustStayAlive.add(process);
    return process;
  }

  /** Starts a child the caller may kill on purpose: waits go on while it is down. */
  public ManagedProcess startKillable(String name, List<String> command) throws IOException {
    return add(ManagedProcess.start(name, command, log(name)));
  }

  /**
   * Stops {@code process} on purpose (a part to be replaced): it leaves the stack, so its exit
   * fails no wait.
   */
  public void stop(ManagedProcess process) {
    mustStayAlive.remove(process);
    parts.remove(process);
    process.close();
  }

  /** Starts NGINX on {@code prefix}; its exit fails every wait. */
  public NginxProcess startNginx(String name, NginxPrefix prefix) throws IOException {
    NginxProcess process = add(NginxProcess.start(name, nginx(), prefix, log(name)));
    mustStayAlive.add(process.process());
    return process;
  }

  /** {@code <work>/<name>.log}. */
  public Path log(String name) {
    return work.resolve(name + ".log");
  }

  /** Waits until {@code url} answers 200. */
  public void awaitOk(String url) throws IOException, InterruptedException {
    ReadyProbe.awaitOk(http, url, readyTimeout, pollMillis, mustStayAlive, work);
  }

  /** Waits until something accepts connections on 127.0.0.1:{@code port}. */
  public void awaitListening(int port) throws IOException, InterruptedException {
    ReadyProbe.awaitListening(port, readyTimeout, mustStayAlive, work);
  }

  /** Stops every part, the last started first; one that fails to stop does not keep the rest. */
  @Override
  public void close() {
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception ignored) {
        // stopping the rest anyway
      }
    }
    mustStayAlive.clear();
  }
}
