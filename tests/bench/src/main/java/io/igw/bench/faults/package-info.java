/**
 * {@code faults}: each fault case through real NGINX + picker + simulated servers (separate
 * processes, killed for real) under load, measured against a written goal. Reads the cluster's
 * processes, writes results/…-faults/.
 */
package io.igw.bench.faults;
