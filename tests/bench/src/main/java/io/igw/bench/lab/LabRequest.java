package io.igw.bench.lab;

import io.igw.bench.workload.WorkloadRequest;

/**
 * A request as the lab handles it: the workload's request, its prompt text (what a router sees) and
 * the token ids the simulated server's completion path makes of that text, rendered once.
 */
public record LabRequest(WorkloadRequest request, String promptText, int[] tokenIds) {}
