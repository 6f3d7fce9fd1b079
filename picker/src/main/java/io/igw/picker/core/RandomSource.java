package io.igw.picker.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Where a pick draws its random numbers (weighted model rewrites, random pickers and tie breaks).
 */
@FunctionalInterface
public interface RandomSource {
  /** The live picker's: the calling thread's own generator (picks run on several event loops). */
  RandomSource THREAD_LOCAL = ThreadLocalRandom::current;

  /** The generator for the pick starting now on this thread. */
  RandomGenerator generator();

  /**
   * Always {@code generator}: seeded, reproducible draws (tests, the routing lab); for one thread
   * at a time.
   */
  static RandomSource of(RandomGenerator generator) {
    return () -> generator;
  }
}
