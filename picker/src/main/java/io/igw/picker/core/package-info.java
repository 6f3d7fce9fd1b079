/**
 * The picker core, at the bottom of the picker (it imports only the datastore, the scheduler and
 * its config, the in-flight tracker and the options reader): the pick types ({@link
 * io.igw.picker.core.PickRequest} with its {@link io.igw.picker.core.PickBody}, {@link
 * io.igw.picker.core.PickResult}, {@link io.igw.picker.core.PickFailure}, the parsed {@link
 * io.igw.picker.core.OpenAiRequest}) and one interface, {@link io.igw.picker.core.PickService}:
 * {@code pick(request)} → a future of ordered endpoints, {@code release(request)} when the gateway
 * is done with the pick.
 *
 * <p>Its implementations stack: the {@link io.igw.picker.core.Director} picks in-process; flow
 * control ({@code flowcontrol.FlowControlledPickService}) queues in front of it; {@link
 * io.igw.picker.core.ObservedPickService} reports every outcome to the metrics; {@link
 * io.igw.picker.core.PoolRouter} sends a pool whose EPP is foreign to the bridge ({@code
 * extproc.EppBridge}). The frontends (the HTTP pick API in {@code pick}, the ext_proc server in
 * {@code extproc}) only turn their wire format into a {@code PickRequest} and a result or a {@code
 * PickFailure} back into theirs.
 */
package io.igw.picker.core;
