package io.igw.picker.scheduling;

/** A scorer and its weight in a profile. */
public record WeightedScorer(Scorer scorer, double weight) {}
