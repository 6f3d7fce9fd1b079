package io.igw.simulator.engine;

import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The skeleton's engine: every running request has its own timer (prefill, then one token per decode step),
 * at most {@code maxNumSeqs} run and the rest wait in arrival order. No KV cache, no LoRA residency.
 */
public final class PerRequestTimerEngine implements Engine {

  private final Vertx vertx;
  private final EngineProfile profile;
  private final int maxNumSeqs;
  private final int maxLoras;
  private final int blockSize;
  private final int numGpuBlocks;
  private final double timeScale;
  private final List<Job> running = new ArrayList<>();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final LatencyHistograms latencies = new LatencyHistograms();
  private long promptTokens;
  private long generationTokens;
  private long requestsFinished;

  public PerRequestTimerEngine(Vertx vertx, EngineProfile profile, int maxNumSeqs, int maxLoras, int blockSize,
                               int numGpuBlocks, double timeScale) {
    this.vertx = vertx;
    this.profile = profile;
    this.maxNumSeqs = maxNumSeqs;
    this.maxLoras = maxLoras;
    this.blockSize = blockSize;
    this.numGpuBlocks = numGpuBlocks;
    this.timeScale = timeScale;
  }

  @Override
  public SubmittedRequest submit(GenerationRequest request, GenerationListener listener) {
    Job job = new Job(request, listener, System.nanoTime());
    waiting.add(job);
    admitWaiting();
    return job;
  }

  @Override
  public EngineSnapshot snapshot() {
    long usedBlocks = running.stream()
        .mapToLong(j -> (j.request.promptTokens() + j.nextToken + blockSize - 1) / blockSize).sum();
    double kvUsage = Math.min(1.0, usedBlocks / (double) numGpuBlocks);
    return new EngineSnapshot(running.size(), waiting.size(), kvUsage, adapters(running), adapters(waiting),
        maxLoras, blockSize, numGpuBlocks, promptTokens, generationTokens, requestsFinished, 0, 0, 0,
        latencies.copy());
  }

  @Override
  public void close() {
    running.forEach(Job::stopTimer);
    running.clear();
    waiting.clear();
  }

  private static List<String> adapters(Iterable<Job> jobs) {
    Set<String> names = new LinkedHashSet<>();
    for (Job job : jobs) {
      if (job.request.adapter() != null) {
        names.add(job.request.adapter());
      }
    }
    return List.copyOf(names);
  }

  private void admitWaiting() {
    while (running.size() < maxNumSeqs && !waiting.isEmpty()) {
      Job job = waiting.poll();
      running.add(job);
      job.admittedNanos = System.nanoTime();
      promptTokens += job.request.promptTokens();
      latencies.requestQueueTime().record(simulatedSeconds(job.admittedNanos - job.arrivalNanos));
      job.schedule(profile.lonePrefillMillis(job.request.promptTokens()));
    }
  }

  private double simulatedSeconds(long realNanos) {
    return realNanos / 1e9 * timeScale;
  }

  private long realDelayMillis(double simulatedMillis) {
    return Math.max(1, Math.round(simulatedMillis / timeScale));
  }

  private void finish(Job job) {
    running.remove(job);
    long now = System.nanoTime();
    requestsFinished++;
    latencies.e2eRequestLatency().record(simulatedSeconds(now - job.arrivalNanos));
    GenerationRequest request = job.request;
    job.listener.onFinished(new GenerationResult(request.promptTokens(), request.outputTokens(), 0,
        request.finishReason()));
    admitWaiting();
  }

  private final class Job implements SubmittedRequest {
    final GenerationRequest request;
    final GenerationListener listener;
    final long arrivalNanos;
    long admittedNanos;
    long lastTokenNanos;
    int nextToken;
    long timerId = -1;
    boolean cancelled;

    Job(GenerationRequest request, GenerationListener listener, long arrivalNanos) {
      this.request = request;
      this.listener = listener;
      this.arrivalNanos = arrivalNanos;
    }

    void schedule(double simulatedMillis) {
      timerId = vertx.setTimer(realDelayMillis(simulatedMillis), id -> emitToken());
    }

    void emitToken() {
      if (cancelled) {
        return;
      }
      long now = System.nanoTime();
      if (nextToken == 0) {
        latencies.timeToFirstToken().record(simulatedSeconds(now - arrivalNanos));
      } else {
        latencies.interTokenLatency().record(simulatedSeconds(now - lastTokenNanos));
      }
      lastTokenNanos = now;
      int index = nextToken++;
      generationTokens++;
      listener.onToken(index);
      if (cancelled) {
        return;
      }
      if (nextToken >= request.outputTokens()) {
        finish(this);
      } else {
        schedule(profile.decodeStepMillis(running.size()));
      }
    }

    void stopTimer() {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      stopTimer();
      if (!waiting.remove(this) && running.remove(this)) {
        admitWaiting();
      }
    }
  }
}
