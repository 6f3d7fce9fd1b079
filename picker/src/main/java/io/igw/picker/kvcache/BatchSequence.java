package io.igw.picker.kvcache;

/**
 * The sequence numbers of one publisher as its subscriber applies them. vLLM numbers batches from 0
 * for the life of its process, and PUB/SUB neither reorders nor repeats, so on the live socket a
 * number past the next one is a gap (batches dropped), and one at or below the last applied means
 * the engine restarted. Batches from a replay, and live batches held while it ran, may repeat what
 * was applied: those are stale.
 */
final class BatchSequence {
  static final long NONE = -1;

  enum Verdict {
    /** The next batch: apply it. */
    NEXT,
    /** The first batch heard is not 0: earlier ones were missed (replay from 0). */
    LATE_START,
    /** Batches between the last applied and this one were lost (replay from the next expected). */
    GAP,
    /** The publisher started over (clear what it said, then take this batch as a first one). */
    RESTART,
    /** Already applied: skip it. */
    STALE
  }

  private long last = NONE;

  /** What a batch from the live socket means. */
  Verdict live(long seq) {
    if (last == NONE) {
      return seq == 0 ? Verdict.NEXT : Verdict.LATE_START;
    }
    if (seq == last + 1) {
      return Verdict.NEXT;
    }
    return seq > last ? Verdict.GAP : Verdict.RESTART;
  }

  /** What a replayed batch, or a live one held during a replay, means. */
  Verdict replayed(long seq) {
    if (last != NONE && seq <= last) {
      return Verdict.STALE;
    }
    return seq == last + 1 ? Verdict.NEXT : Verdict.GAP;
  }

  void applied(long seq) {
    last = seq;
  }

  void reset() {
    last = NONE;
  }

  /** The number the next batch should carry. */
  long next() {
    return last + 1;
  }

  long last() {
    return last;
  }
}
