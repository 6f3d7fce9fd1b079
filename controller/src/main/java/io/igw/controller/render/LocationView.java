package io.igw.controller.render;

import io.igw.controller.model.Redirect;
import io.igw.controller.model.RouteLocation;

/**
 * A route location as the template reads it: its matcher ({@code = /path} or {@code /path/}), and
 * either the redirect NGINX answers itself ({@code return status url}) or {@code $igw_route} for
 * njs ({@link NjsValues#route}), as an nginx.conf string.
 */
public record LocationView(String matcher, RedirectView redirect, String route) {

  /**
   * {@code return {{status}} {{url}};} — the url a quoted string whose unset parts are the
   * request's own.
   */
  public record RedirectView(int status, String url) {
    static RedirectView of(Redirect redirect) {
      NginxText.Quoted url = NginxText.quotedString();
      if (redirect.scheme() == null) {
        url.variable("scheme");
      } else {
        url.literal(NginxText.word(redirect.scheme()));
      }
      url.literal("://");
      if (redirect.hostname() == null) {
        url.variable("host");
      } else {
        url.literal(NginxText.word(redirect.hostname()));
      }
      if (redirect.port() != null) {
        url.literal(":" + redirect.port());
      }
      if (redirect.path() == null) {
        url.variable("request_uri");
      } else {
        url.literal(NginxText.word(redirect.path()));
      }
      return new RedirectView(redirect.status(), url.toString());
    }
  }

  public static LocationView of(RouteLocation location) {
    String matcher =
        location.exact() ? "= " + NginxText.word(location.path()) : NginxText.word(location.path());
    Redirect redirect = location.plainRedirect();
    return redirect != null
        ? new LocationView(matcher, RedirectView.of(redirect), null)
        : new LocationView(matcher, null, NginxText.singleQuoted(NjsValues.route(location)));
  }
}
