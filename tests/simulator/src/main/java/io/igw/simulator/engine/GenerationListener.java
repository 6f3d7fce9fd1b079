package io.igw.simulator.engine;

/** Hears one request's progress; called on the engine's context, in order. */
public interface GenerationListener {

  /** Token number {@code index} (0 = the first token) is ready. */
  void onToken(int index);

  /** The last token was delivered. */
  void onFinished(GenerationResult result);
}
