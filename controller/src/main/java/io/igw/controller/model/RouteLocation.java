package io.igw.controller.model;

/**
 * A location of an HTTPRoute rule: its NGINX matcher ("/x/", "= /x") and either a redirect ({@code redirect},
 * the text of a {@code return} directive) or the rule's weighted backends, as njs reads them from
 * {@code $igw_backends}: "weight location failureMode pool picker" entries joined by ",".
 */
public record RouteLocation(String matcher, String backends, String redirect) {
  public boolean redirects() {
    return redirect != null;
  }
}
