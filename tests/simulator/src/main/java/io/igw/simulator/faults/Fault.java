package io.igw.simulator.faults;

/** What goes wrong with one request, if anything. */
public enum Fault {
  /** Served normally. */
  NONE,
  /** Answered at once with the plan's error status and vLLM's error body. */
  ERROR,
  /** The connection is closed before any response byte. */
  DROP,
  /** Accepted and never answered. */
  HANG,
  /** Headers and some tokens are sent, then the connection is reset. */
  CRASH
}
