package io.igw.api;

/**
 * The estimate of prompt tokens from prompt bytes where no tokenizer is asked (the picker's prefix
 * index blocks and its token-load accounting): about 4 bytes of English text per token, the usual
 * rule of thumb for BPE vocabularies.
 */
public final class TokenEstimate {
  public static final int BYTES_PER_TOKEN = 4;

  private TokenEstimate() {}
}
