package io.igw.picker.scheduling.plugins;

/**
 * The scorers' shared normalisation: raw values where lower is better → (max − v)/(max − min), 1
 * when all equal.
 */
final class LowerIsBetter {
  private LowerIsBetter() {}

  static void normalise(double[] values) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double range = max - min;
    for (int i = 0; i < values.length; i++) {
      values[i] = range == 0 ? 1.0 : (max - values[i]) / range;
    }
  }
}
