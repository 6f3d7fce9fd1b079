package io.igw.picker.relay;

import io.igw.picker.extproc.ResponseHeaderMutation;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which headers cross the relay: hop-by-hop headers (RFC 9110 7.6.1, and those a {@code Connection}
 * header names) stay on their hop, the relay's own {@code x-igw-relay-*} headers and NGINX's {@code
 * x-igw-request-id} never reach a model server or a client; and which of an EPP's response-header
 * mutations may be applied: never to a hop-by-hop header, {@code content-length}, {@code
 * transfer-encoding}, {@code host}, a pseudo-header or the relay's own, never with a name or value
 * that is not a valid header.
 */
final class RelayHeaders {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "proxy-authenticate",
          "proxy-authorization");

  /** Set by the HTTP client from the body and the authority. */
  private static final Set<String> NOT_FORWARDED =
      Set.of("content-length", "host", RelayedRequest.REQUEST_ID_HEADER);

  private static final Set<String> NOT_MUTABLE =
      Set.of("content-length", "transfer-encoding", "host");
  private static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9a-z-]{1,256}$");
  private static final Pattern VALUE = Pattern.compile("^[\\t\\x20-\\x7e\\x80-\\xff]{0,8192}$");

  private RelayHeaders() {}

  /** The request headers NGINX sent, as the model server gets them. */
  static MultiMap request(MultiMap fromNginx) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Set<String> named = connectionTokens(fromNginx);
    for (Map.Entry<String, String> h : fromNginx) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!notPassed(name, named) && !NOT_FORWARDED.contains(name)) {
        out.add(name, h.getValue());
      }
    }
    return out;
  }

  /** The model server's response headers, as NGINX gets them (before the EPP's mutation). */
  static MultiMap response(MultiMap fromServer) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Set<String> named = connectionTokens(fromServer);
    for (Map.Entry<String, String> h : fromServer) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!notPassed(name, named)) {
        out.add(name, h.getValue());
      }
    }
    return out;
  }

  /**
   * Applies what may be applied of {@code mutation} to {@code headers}; returns the names it
   * skipped.
   */
  static List<String> apply(ResponseHeaderMutation mutation, MultiMap headers) {
    List<String> skipped = new ArrayList<>();
    for (String name : mutation.remove()) {
      if (mutable(name)) {
        headers.remove(name);
      } else {
        skipped.add(name);
      }
    }
    for (ResponseHeaderMutation.Header h : mutation.set()) {
      if (!mutable(h.name()) || !VALUE.matcher(h.value()).matches()) {
        skipped.add(h.name());
      } else if (h.append()) {
        headers.add(h.name(), h.value());
      } else {
        headers.set(h.name(), h.value());
      }
    }
    return skipped;
  }

  private static boolean mutable(String name) {
    return TOKEN.matcher(name).matches()
        && !HOP_BY_HOP.contains(name)
        && !NOT_MUTABLE.contains(name)
        && !name.startsWith(RelayedRequest.INTERNAL_PREFIX);
  }

  private static boolean notPassed(String name, Set<String> named) {
    return HOP_BY_HOP.contains(name)
        || named.contains(name)
        || name.startsWith(RelayedRequest.INTERNAL_PREFIX);
  }

  private static Set<String> connectionTokens(MultiMap headers) {
    Set<String> out = new java.util.HashSet<>();
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        out.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
