package io.igw.bench.lab;

import io.igw.bench.workload.WorkloadRequest;

/** A request as a router sees it: the workload's request and its prompt text rendered once. */
public record LabRequest(WorkloadRequest request, String promptText) {}
