package io.igw.picker.ratelimit;

/** The period a limit holds for; the bucket refills its whole limit over one window. */
public enum Window {
  MINUTE("Minute", 60_000L, "min", 'M'),
  HOUR("Hour", 3_600_000L, "hour", 'H'),
  DAY("Day", 86_400_000L, "day", 'D');

  /** As a policy writes it ({@code per: Minute}). */
  public final String field;

  public final long millis;

  /** As OpenAI's messages name it ("tokens per min"). */
  final String noun;

  /** As OpenAI abbreviates it (TPM, RPH, ...). */
  final char letter;

  Window(String field, long millis, String noun, char letter) {
    this.field = field;
    this.millis = millis;
    this.noun = noun;
    this.letter = letter;
  }

  /** The window a policy names, or null. */
  static Window of(String field) {
    for (Window w : values()) {
      if (w.field.equals(field)) {
        return w;
      }
    }
    return null;
  }
}
