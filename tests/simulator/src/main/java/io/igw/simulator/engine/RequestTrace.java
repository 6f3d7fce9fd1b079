package io.igw.simulator.engine;

import java.util.Arrays;

/**
 * One request's life in the engine, in simulated seconds: what the benchmark harness reads after a
 * replay. Times are NaN until they happen.
 */
public final class RequestTrace implements SubmittedRequest {

  private final String id;
  private final double arrivalTime;
  private final boolean recordTokenTimes;
  double firstScheduledTime = Double.NaN;
  double firstTokenTime = Double.NaN;
  double lastTokenTime = Double.NaN;
  double finishTime = Double.NaN;
  int promptTokens;
  int cachedTokens;
  int generatedTokens;
  int preemptions;
  boolean cancelled;
  private double[] tokenTimes = new double[0];
  Runnable canceller = () -> {};

  RequestTrace(String id, double arrivalTime, int promptTokens, boolean recordTokenTimes) {
    this.id = id;
    this.arrivalTime = arrivalTime;
    this.promptTokens = promptTokens;
    this.recordTokenTimes = recordTokenTimes;
  }

  void recordToken(double time) {
    if (Double.isNaN(firstTokenTime)) {
      firstTokenTime = time;
    }
    lastTokenTime = time;
    if (recordTokenTimes) {
      if (generatedTokens >= tokenTimes.length) {
        tokenTimes = Arrays.copyOf(tokenTimes, Math.max(16, tokenTimes.length * 2));
      }
      tokenTimes[generatedTokens] = time;
    }
    generatedTokens++;
  }

  /** Abandons the request (the client went away): frees its slot and blocks. */
  @Override
  public void cancel() {
    canceller.run();
  }

  public String id() {
    return id;
  }

  public double arrivalTime() {
    return arrivalTime;
  }

  public double firstScheduledTime() {
    return firstScheduledTime;
  }

  public double firstTokenTime() {
    return firstTokenTime;
  }

  public double finishTime() {
    return finishTime;
  }

  public boolean finished() {
    return !Double.isNaN(finishTime);
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Time to first token, seconds. */
  public double ttft() {
    return firstTokenTime - arrivalTime;
  }

  /** Mean time per output token after the first, seconds (TPOT). */
  public double tpot() {
    return generatedTokens > 1 ? (lastTokenTime - firstTokenTime) / (generatedTokens - 1) : 0;
  }

  public double e2eLatency() {
    return finishTime - arrivalTime;
  }

  public double queueTime() {
    return firstScheduledTime - arrivalTime;
  }

  public int promptTokens() {
    return promptTokens;
  }

  /** Prompt tokens the prefix cache supplied when the request was first scheduled. */
  public int cachedTokens() {
    return cachedTokens;
  }

  public int generatedTokens() {
    return generatedTokens;
  }

  public int preemptions() {
    return preemptions;
  }

  /** Each token's time, when the engine was asked to record them; empty otherwise. */
  public double[] tokenTimes() {
    return recordTokenTimes ? Arrays.copyOf(tokenTimes, generatedTokens) : new double[0];
  }
}
