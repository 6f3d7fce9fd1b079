/**
 * Precise prefix-cache state from vLLM's KV-cache events: per-endpoint ZMQ subscriptions ({@link
 * io.igw.picker.kvcache.KvEventSubscriptions}) decode each batch ({@link
 * io.igw.picker.kvcache.KvEventDecoder}) and keep {@link io.igw.picker.kvcache.KvEventIndex}, which
 * answers how many leading blocks of a request each endpoint holds. Keys are igw's own chain over
 * token ids ({@link io.igw.picker.kvcache.BlockKeys}), so the engine's hash algorithm and seed do
 * not matter. Depends only on the datastore's endpoints.
 */
package io.igw.picker.kvcache;
