package io.igw.simulator.engine;

/** A request inside an engine, which the caller can abandon (the client went away). */
public interface SubmittedRequest {

  /** Frees the request's slot and blocks; its listener hears nothing more. */
  void cancel();
}
