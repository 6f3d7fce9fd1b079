package io.igw.picker.ratelimit;

/** What a limit counts: requests, or tokens of one kind. */
public enum Counted {
  INPUT("Input"),
  OUTPUT("Output"),
  TOTAL("Total"),
  COST("Cost"),
  REQUESTS(null);

  /** As a policy writes it ({@code count: Total}); null for requests. */
  public final String field;

  Counted(String field) {
    this.field = field;
  }

  static Counted ofTokens(String field) {
    for (Counted c : values()) {
      if (c.field != null && c.field.equals(field)) {
        return c;
      }
    }
    return null;
  }

  boolean isTokens() {
    return this != REQUESTS;
  }
}
