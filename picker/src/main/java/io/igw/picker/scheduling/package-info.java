/**
 * Scheduling contracts: plugins with one method each ({@link io.igw.picker.scheduling.Filter},
 * {@link io.igw.picker.scheduling.Scorer}, {@link io.igw.picker.scheduling.Picker}, {@link
 * io.igw.picker.scheduling.ProfileHandler}, {@link io.igw.picker.scheduling.SaturationDetector})
 * and the {@link io.igw.picker.scheduling.Scheduler} that runs them. Built-in plugins live in
 * {@code plugins}, the YAML loader in {@code config}. All time comes from the context's clock.
 */
package io.igw.picker.scheduling;
