package io.igw.bench.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * Load steps run back to back on the same servers (caches stay warm, backlogs carry over, as in
 * real runs).
 */
public record LoadLadder(List<LoadStep> steps) {
  public LoadLadder {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one step");
    }
    steps = List.copyOf(steps);
  }

  /** Every rate for the same duration. */
  public static LoadLadder of(double durationSeconds, double... qps) {
    List<LoadStep> steps = new ArrayList<>();
    for (double q : qps) {
      steps.add(new LoadStep(q, durationSeconds));
    }
    return new LoadLadder(steps);
  }

  /** Parses {@code "3,10,20"} into steps of {@code durationSeconds} each. */
  public static LoadLadder parse(String rates, double durationSeconds) {
    String[] parts = rates.split(",");
    double[] qps = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        qps[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("ladder: '" + parts[i] + "' is not a rate");
      }
    }
    return of(durationSeconds, qps);
  }

  /** When step {@code index} starts, seconds from the start of the run. */
  public double startOf(int index) {
    double t = 0;
    for (int i = 0; i < index; i++) {
      t += steps.get(i).durationSeconds();
    }
    return t;
  }

  public double endOf(int index) {
    return startOf(index) + steps.get(index).durationSeconds();
  }

  public double totalSeconds() {
    return startOf(steps.size());
  }

  public int size() {
    return steps.size();
  }

  public LoadStep step(int index) {
    return steps.get(index);
  }

  /** The step a time falls in; the last one for times past the end. */
  public int stepAt(double seconds) {
    double t = 0;
    for (int i = 0; i < steps.size(); i++) {
      t += steps.get(i).durationSeconds();
      if (seconds < t) {
        return i;
      }
    }
    return steps.size() - 1;
  }

  /** Every duration multiplied by {@code factor} (the rates stay). */
  public LoadLadder scaled(double factor) {
    return new LoadLadder(
        steps.stream().map(s -> new LoadStep(s.qps(), s.durationSeconds() * factor)).toList());
  }
}
