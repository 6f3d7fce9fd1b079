package io.igw.bench.workload;

/** Derives independent seeds from a run seed and a few integers (SplitMix64 over the chain). */
public final class Seeds {
  private Seeds() {}

  public static long derive(long seed, long... parts) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (long part : parts) {
      h = mix(h ^ mix(part + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
