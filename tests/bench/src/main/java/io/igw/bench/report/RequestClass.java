package io.igw.bench.report;

import java.util.function.Predicate;

/** Which requests a row of statistics covers: all, or one side of the priority line. */
public enum RequestClass {
  ALL("all", o -> true),
  CRITICAL("critical", o -> o.priority() >= 0),
  SHEDDABLE("sheddable", o -> o.priority() < 0);

  private final String label;
  private final Predicate<RequestOutcome> member;

  RequestClass(String label, Predicate<RequestOutcome> member) {
    this.label = label;
    this.member = member;
  }

  public String label() {
    return label;
  }

  public boolean contains(RequestOutcome outcome) {
    return member.test(outcome);
  }
}
