package io.igw.bench.workload;

/** Draws the same request sequence for a ladder and a seed, whoever replays it. */
public interface Workload {
  String name();

  RequestSequence generate(LoadLadder ladder, long seed);
}
