/**
 * The live benchmark: real NGINX + njs + picker + simulated vLLM servers (one JVM, time-scaled),
 * each started as its own process, and a Java load generator that replays a request sequence with
 * streaming, through the igw inference route and through NGINX's round-robin and least_conn
 * upstreams over the same servers.
 */
package io.igw.bench.live;
