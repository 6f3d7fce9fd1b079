package io.igw.bench.lab;

import io.igw.picker.scheduling.DataProducer;
import io.igw.picker.scheduling.ProduceRequest;
import io.igw.picker.scheduling.ProducedData;
import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.TokenizedPrompt;
import io.igw.picker.scheduling.TypedName;
import io.vertx.core.Future;

/**
 * The lab's stand-in for the {@code token-producer} in render mode: the token ids the simulated
 * server's {@code /v1/completions/render} answers for the request, which are exactly the ids its
 * engine is given (the lab renders each prompt once, with the profile's tokenizer). A render takes
 * no virtual time and never times out. The lab sets the ids of the request it is about to pick; a
 * pick whose prompt is not that request's gets no tokens (the precise producer then falls back).
 */
final class LabTokenProducer implements DataProducer {
  private final TypedName typedName;
  private byte[] promptBytes;
  private int[] tokenIds;
  private long produced;
  private long missed;

  LabTokenProducer(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  /** The next pick is of the prompt {@code promptBytes} (UTF-8), which renders to {@code ids}. */
  void next(byte[] promptBytes, int[] ids) {
    this.promptBytes = promptBytes;
    this.tokenIds = ids;
  }

  @Override
  public Future<Void> produce(ProduceRequest request, ProducedData data) {
    if (tokenIds != null && request.promptBytes().equals(PromptBytes.of(promptBytes))) {
      data.put(TokenizedPrompt.class, new TokenizedPrompt(tokenIds, true, "render"));
      produced++;
    } else {
      missed++;
    }
    return Future.succeededFuture();
  }

  /** Picks that got the request's tokens. */
  long produced() {
    return produced;
  }

  /** Picks whose prompt was not the one announced (no tokens: the precise producer fell back). */
  long missed() {
    return missed;
  }
}
