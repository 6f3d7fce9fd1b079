package io.igw.api.net;

import io.igw.api.log.EventLine;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The test-run guard: with the system property {@value #PROPERTY} set to {@code true} (the build
 * sets it for every test JVM), a scrape, an EPP stream or an NGINX upstream aimed anywhere but
 * 127.0.0.0/8, ::1 or localhost is refused before any connection, and recorded so that the test
 * that configured it fails. Off in production: there targets are pod addresses.
 */
public final class LoopbackOnly {
  public static final String PROPERTY = "igw.loopbackOnly";
  private static final Logger LOG = Logger.getLogger(LoopbackOnly.class.getName());
  private static final List<String> VIOLATIONS = new ArrayList<>();

  /**
   * Read once: the checks sit on the pick and scrape paths, and the build sets the property before
   * the JVM starts.
   */
  private static final boolean ENFORCED = Boolean.getBoolean(PROPERTY);

  private LoopbackOnly() {}

  public static boolean enforced() {
    return ENFORCED;
  }

  /**
   * True unless enforced and {@code host} is not a loopback literal; a refusal is logged and
   * recorded.
   */
  public static boolean allows(String host, int port, String purpose) {
    if (!enforced() || isLoopback(host)) {
      return true;
    }
    String violation = purpose + " to " + host + ":" + port;
    synchronized (VIOLATIONS) {
      VIOLATIONS.add(violation);
    }
    LOG.severe(
        EventLine.fields(
            "loopback_guard_refused", "purpose", purpose, "target", host + ":" + port));
    return false;
  }

  /**
   * 127.0.0.0/8 as a dotted literal, ::1 (bracketed or not) and localhost; hostnames are not
   * resolved.
   */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = h.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty()
          || octet.length() > 3
          || !octet.chars().allMatch(Character::isDigit)
          || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /** The refusals recorded since the last call, cleared. */
  public static List<String> drainViolations() {
    synchronized (VIOLATIONS) {
      List<String> out = List.copyOf(VIOLATIONS);
      VIOLATIONS.clear();
      return out;
    }
  }
}
