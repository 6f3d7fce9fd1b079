package io.igw.simulator.engine;

/**
 * A model server's inference engine: it takes requests and produces their tokens over time, and
 * tells how loaded it is. Implementations run on one Vert.x context and are not thread-safe.
 */
public interface Engine {

  SubmittedRequest submit(GenerationRequest request, GenerationListener listener);

  EngineSnapshot snapshot();

  /** Stops all timers; requests in flight hear nothing more. */
  void close();
}
