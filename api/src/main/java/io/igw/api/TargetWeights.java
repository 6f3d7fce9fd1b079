package io.igw.api;

import java.util.List;
import java.util.function.Function;

/**
 * Upstream's rule for weighted targets: a weight on every target or on none. InferenceModel's CRD
 * enforces it with a CEL validation ({@code self.all(m, has(m.weight)) || self.all(m,
 * !has(m.weight))}); InferenceModelRewrite's targets document the same rule. Without weights the
 * targets share traffic equally.
 */
public final class TargetWeights {
  public static final String RULE = "weights must be set on all targets or none";

  private TargetWeights() {}

  /** Whether some targets have a weight and others not (null targets are skipped). */
  public static <T> boolean mixed(List<T> targets, Function<T, Integer> weight) {
    boolean weighted = false;
    boolean unweighted = false;
    for (T target : targets) {
      if (target != null) {
        if (weight.apply(target) == null) {
          unweighted = true;
        } else {
          weighted = true;
        }
      }
    }
    return weighted && unweighted;
  }
}
