package io.igw.picker.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A byte-level BPE tokenizer.json in the format Hugging Face writes, small enough to reason about:
 * the 26 lowercase letters, the byte-level space and newline ({@code Ġ}, {@code Ċ}), a few merges,
 * and ChatML's markers as added special tokens. Texts for it use lowercase letters, spaces and
 * newlines only.
 */
public final class LetterTokenizerJson {
  private LetterTokenizerJson() {}

  public static Path write(Path dir) throws IOException {
    JsonObject vocab = new JsonObject();
    int id = 0;
    for (char c = 'a'; c <= 'z'; c++) {
      vocab.put(String.valueOf(c), id++);
    }
    for (String token : new String[] {"Ġ", "Ċ", "lo", "low", "er", "Ġlow", "th", "the", "Ġthe"}) {
      vocab.put(token, id++);
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
                new JsonArray().add(added(id, "<|im_start|>")).add(added(id + 1, "<|im_end|>")))
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
                    .put(
                        "merges",
                        new JsonArray()
                            .add("l o")
                            .add("lo w")
                            .add("e r")
                            .add("Ġ low")
                            .add("t h")
                            .add("th e")
                            .add("Ġ the")));
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
