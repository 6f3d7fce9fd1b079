package io.igw.simulator.http;

/** The OpenAI endpoints the simulator answers, with the names of their response objects. */
public enum RequestKind {
  COMPLETION("cmpl-", "text_completion", "text_completion"),
  CHAT("chatcmpl-", "chat.completion", "chat.completion.chunk"),
  EMBEDDING("embd-", "list", "list");

  private final String idPrefix;
  private final String object;
  private final String chunkObject;

  RequestKind(String idPrefix, String object, String chunkObject) {
    this.idPrefix = idPrefix;
    this.object = object;
    this.chunkObject = chunkObject;
  }

  public String idPrefix() {
    return idPrefix;
  }

  public String object() {
    return object;
  }

  public String chunkObject() {
    return chunkObject;
  }
}
