package io.igw.simulator.tokens;

/**
 * Text to token ids and back, as a model's tokenizer does it. Special tokens written in the text (a
 * chat template's role markers) become their own ids, as Hugging Face tokenizers match added tokens
 * before the model sees the text; nothing is added around the text (BOS is the chat template's
 * business).
 */
public interface Tokenizer {

  /** What the tokenizer is, for logs and docs: an encoding name or a tokenizer.json path. */
  String name();

  int[] encode(String text);

  String decode(int[] ids);
}
