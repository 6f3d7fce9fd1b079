/**
 * The standard endpoint-picker protocol (Envoy ext_proc v3 over gRPC), both ways: {@link
 * io.igw.picker.extproc.ExtProcServer} serves the picker's director to Envoy-based gateways, and {@link
 * io.igw.picker.extproc.EppBridge} forwards the HTTP pick API's picks for pools whose endpointPickerRef names a
 * foreign EPP. The messages of the protocol are built and read in {@link io.igw.picker.extproc.ExtProcMessages}.
 */
package io.igw.picker.extproc;
