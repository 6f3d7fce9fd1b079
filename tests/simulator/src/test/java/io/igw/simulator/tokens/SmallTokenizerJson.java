package io.igw.simulator.tokens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A byte-level BPE tokenizer.json small enough to reason about, in the format Hugging Face writes:
 * a few letters, four merges ("l o", "lo w", "e r", "Ġ low"), the byte-level space and newline
 * ("Ġ", "Ċ"), and ChatML's markers as added special tokens (ids right after the vocabulary, as real
 * files number them).
 */
public final class SmallTokenizerJson {

  static final String[] VOCAB = {
    "l", "o", "w", "e", "r", "Ġ", "lo", "low", "er", "Ġlow", "n", "s", "t", "u", "Ċ", "a", "i", "m"
  };
  public static final int IM_START = 18;
  public static final int IM_END = 19;

  private SmallTokenizerJson() {}

  public static int id(String token) {
    for (int i = 0; i < VOCAB.length; i++) {
      if (VOCAB[i].equals(token)) {
        return i;
      }
    }
    throw new IllegalArgumentException(token);
  }

  public static Path write(Path dir) throws IOException {
    JsonObject vocab = new JsonObject();
    for (int i = 0; i < VOCAB.length; i++) {
      vocab.put(VOCAB[i], i);
    }
    JsonObject byteLevel =
        new JsonObject()
            .put("type", "ByteLevel")
            .put("add_prefix_space", false)
            .put("trim_offsets", true)
            .put("use_regex", true);
    JsonObject json =
        new JsonObject()
            .put("version", "1.0")
            .putNull("truncation")
            .putNull("padding")
            .put(
                "added_tokens",
                new JsonArray()
                    .add(added(IM_START, "<|im_start|>"))
                    .add(added(IM_END, "<|im_end|>")))
            .putNull("normalizer")
            .put("pre_tokenizer", byteLevel)
            .putNull("post_processor")
            .put("decoder", byteLevel.copy())
            .put(
                "model",
                new JsonObject()
                    .put("type", "BPE")
                    .putNull("dropout")
                    .putNull("unk_token")
                    .putNull("continuing_subword_prefix")
                    .putNull("end_of_word_suffix")
                    .put("fuse_unk", false)
                    .put("byte_fallback", false)
                    .put("vocab", vocab)
                    .put("merges", new JsonArray().add("l o").add("lo w").add("e r").add("Ġ low")));
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, json.encodePrettily());
    return file;
  }

  private static JsonObject added(int id, String content) {
    return new JsonObject()
        .put("id", id)
        .put("content", content)
        .put("single_word", false)
        .put("lstrip", false)
        .put("rstrip", false)
        .put("normalized", false)
        .put("special", true);
  }
}
