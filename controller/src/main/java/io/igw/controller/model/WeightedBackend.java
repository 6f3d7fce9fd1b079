package io.igw.controller.model;

/**
 * A backendRef of a rule with its weight: {@code rule} holds the named locations that proxy to its
 * pool, null when the backendRef did not resolve (its share of the requests gets a 500).
 */
public record WeightedBackend(int weight, RuleBlock rule) {
  public boolean resolved() {
    return rule != null;
  }
}
