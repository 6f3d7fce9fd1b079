/**
 * Tokenizing a request as its engine does, for precise prefix routing: asking a model server's
 * render endpoints ({@link RenderClient}), or a model's own tokenizer.json in process with its chat
 * template ({@link LocalTokenizer}, {@link ChatTemplate}), and a bounded cache of recent results
 * ({@link TokenCache}). Depends on nothing of the picker's but the loopback guard.
 */
package io.igw.picker.tokens;
