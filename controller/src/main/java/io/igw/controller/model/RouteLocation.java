package io.igw.controller.model;

/**
 * A location: its NGINX matcher ("/x/", "= /x") and what serves it. Either a redirect ({@code redirect}, the
 * text of a {@code return} directive), or weighted backends as njs reads them from {@code $igw_backends}
 * ("weight location failureMode pool picker" entries joined by ","), or, when rules on this path also match
 * on method, headers or query parameters, {@code matches}: a JSON list of candidates njs checks in order.
 */
public record RouteLocation(String matcher, String backends, String redirect, String matches) {
  public boolean redirects() {
    return redirect != null;
  }

  public boolean conditional() {
    return matches != null;
  }
}
