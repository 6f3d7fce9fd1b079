/**
 * The routing lab: N simulated vLLM engines on one virtual clock ({@code io.igw.simulator.engine}),
 * the picker's scheduler code ({@code io.igw.picker.scheduling}) fed metric snapshots scraped every
 * 50 ms of virtual time, and model-blind baselines, all replaying the same request sequence.
 * Deterministic for a seed; nothing sleeps.
 */
package io.igw.bench.lab;
