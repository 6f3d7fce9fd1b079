/**
 * Flow control (optional, off by default): while a pool is saturated, picks wait in per-priority
 * bands and are dispatched, highest priority first and FIFO within a band, when it is not; a full
 * band refuses (429), a request past its TTL is evicted (503), a client that goes away leaves the
 * queue.
 *
 * <p>{@link io.igw.picker.flowcontrol.FlowController} and its small types are pure and
 * single-threaded (time is passed in, saturation is a predicate) so the routing lab can drive them
 * on virtual time; {@link io.igw.picker.flowcontrol.FlowControlledPickService} puts them in front
 * of the director for the live picker, as a decorator of the core's {@code PickService}.
 */
package io.igw.picker.flowcontrol;
