package io.igw.simulator.tokens;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model's own Hugging Face {@code tokenizer.json}, run by the Rust tokenizers library that DJL
 * ships inside its jar (linux x86-64 and aarch64, CPU). Loaded from a local file only: DJL is put
 * in offline mode so that it never reaches for the Hub or a CUDA build. Added tokens in the file
 * (Qwen's {@code <|im_start|>}, Llama's {@code <|eot_id|>}) are matched in the text; the file's
 * post-processor (BOS) is not applied.
 */
public final class TokenizerJson implements Tokenizer, AutoCloseable {

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;

  private TokenizerJson(Path file, HuggingFaceTokenizer tokenizer) {
    this.file = file;
    this.tokenizer = tokenizer;
  }

  public static TokenizerJson load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("tokenizer file not found: " + file);
    }
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("RUST_FLAVOR", "cpu");
    try {
      return new TokenizerJson(
          file,
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of(
                  "addSpecialTokens",
                  "false",
                  "truncation",
                  "false",
                  "padding",
                  "false",
                  "maxLength",
                  "-1")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return file.toString();
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] wide = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      wide[i] = ids[i];
    }
    return tokenizer.decode(wide, false);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
