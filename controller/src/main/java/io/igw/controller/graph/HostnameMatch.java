package io.igw.controller.graph;

import java.util.List;

/** Gateway API hostname intersection between a listener and a route ("*.example.com" wildcards). */
final class HostnameMatch {
  private HostnameMatch() {}

  static boolean intersects(String listenerHostname, List<String> routeHostnames) {
    if (listenerHostname == null || routeHostnames.isEmpty()) {
      return true;
    }
    return routeHostnames.stream()
        .anyMatch(h -> matches(listenerHostname, h) || matches(h, listenerHostname));
  }

  /** Whether {@code pattern} (maybe a wildcard) covers {@code host}. */
  static boolean matches(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return false;
  }
}
