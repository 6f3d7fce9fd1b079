/**
 * Results: per-request outcomes → per-step statistics (percentiles from HdrHistogram) → CSV, JSON,
 * PNG charts (JFreeChart) and a Markdown summary with the igw / baseline ratios. No I/O but in the
 * writers.
 */
package io.igw.bench.report;
