/**
 * The standard endpoint-picker protocol (Envoy ext_proc v3 over gRPC), both ways: {@link
 * io.igw.picker.extproc.ExtProcServer} is a frontend serving the core's in-process {@code
 * PickService} to Envoy-based gateways, and {@link io.igw.picker.extproc.EppBridge} is the {@code
 * PickService} of each pool whose endpointPickerRef names a foreign EPP, forwarding its picks. The
 * messages of the protocol are built and read in {@link io.igw.picker.extproc.ExtProcMessages}, a
 * failure's ImmediateResponse included.
 */
package io.igw.picker.extproc;
