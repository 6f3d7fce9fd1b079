/**
 * vLLM's KV-cache events as the simulator emits them: the event objects the engine produces when
 * blocks are cached, evicted or cleared ({@link io.igw.simulator.kvevents.KvEvent}, one {@link
 * io.igw.simulator.kvevents.KvEventBatch} per engine step), and the ZMQ publisher that sends them
 * as vLLM does (PUB frames {@code [topic, seq, msgpack]}, a ROUTER replay socket) when {@code
 * --kv-events-config} enables it.
 */
package io.igw.simulator.kvevents;
