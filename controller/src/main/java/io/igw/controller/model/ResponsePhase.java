package io.igw.controller.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a bridged pool's response phase runs ({@code --epp-response-phase}). {@code report}
 * (default): NGINX proxies to the model server itself and reports the served endpoint to the EPP
 * after the response, so the EPP's response-header mutations cannot be applied. {@code relay}:
 * NGINX proxies to the picker's relay, which applies them before the response streams on; the
 * picker is then in the data path of those pools.
 *
 * @param relayAddress host:port of the picker's relay listener (relay only)
 * @param relayMaxConns relayed requests in flight at once, all workers together: a pool of
 *     connections of its own, so relayed streams (which last as long as their generation) never
 *     take the picks' connections
 */
public record ResponsePhase(Mode mode, String relayAddress, int relayMaxConns) {
  /** Before {@link #REPORT}, which its constructor checks against it. */
  private static final Pattern ADDRESS =
      Pattern.compile("^([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]):\\d{1,5}$");

  public static final String DEFAULT_RELAY_ADDRESS = "127.0.0.1:9003";
  public static final int DEFAULT_RELAY_MAX_CONNS = 256;
  public static final ResponsePhase REPORT =
      new ResponsePhase(Mode.REPORT, DEFAULT_RELAY_ADDRESS, DEFAULT_RELAY_MAX_CONNS);

  /** The modes, as the command line names them. */
  public enum Mode {
    REPORT,
    RELAY;

    public static Mode parse(String text) {
      for (Mode mode : values()) {
        if (mode.name().equalsIgnoreCase(text)) {
          return mode;
        }
      }
      throw new IllegalArgumentException(
          "--epp-response-phase must be relay or report, got " + text);
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ResponsePhase {
    if (mode == null || relayAddress == null || !ADDRESS.matcher(relayAddress).matches()) {
      throw new IllegalArgumentException(
          "the relay address must be host:port, got " + relayAddress);
    }
    if (relayMaxConns < 1) {
      throw new IllegalArgumentException(
          "relay max conns must be at least 1, got " + relayMaxConns);
    }
  }

  public static ResponsePhase relay(String relayAddress, int relayMaxConns) {
    return new ResponsePhase(Mode.RELAY, relayAddress, relayMaxConns);
  }

  /** Whether bridged pools go through the picker's relay. */
  public boolean relays() {
    return mode == Mode.RELAY;
  }
}
