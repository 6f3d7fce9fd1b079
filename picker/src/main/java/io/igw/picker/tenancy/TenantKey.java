package io.igw.picker.tenancy;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who a request is for, as token accounting and rate limits key on it. From the configured header
 * (default {@value #DEFAULT_HEADER}, the upstream fairness header) when it is a plain id; else from
 * the {@code Authorization} bearer token as {@code key-} and 16 hex digits of its SHA-256 (never
 * the token itself); else {@value #DEFAULT}. A header value that is not a plain id (longer than
 * {@value #MAX_ID_LENGTH} characters, or with characters outside {@code [A-Za-z0-9._:@/-]}) is
 * hashed the same way as {@code id-…}, so a hostile value can neither reach a log or label as it is
 * nor collide with a plain id.
 */
public final class TenantKey {
  public static final String DEFAULT_HEADER = "x-gateway-inference-fairness-id";
  public static final String DEFAULT = "default";
  public static final int MAX_ID_LENGTH = 64;

  private final String header;

  public TenantKey(String header) {
    if (header == null || header.isBlank()) {
      throw new IllegalArgumentException("the tenant header needs a name");
    }
    this.header = header;
  }

  public static TenantKey defaults() {
    return new TenantKey(DEFAULT_HEADER);
  }

  public String header() {
    return header;
  }

  public String of(MultiMap headers) {
    if (headers == null) {
      return DEFAULT;
    }
    String value = headers.get(header);
    if (value != null && !value.isEmpty()) {
      return plainId(value) ? value : "id-" + digest(value);
    }
    String authorization = headers.get("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).strip();
      if (!token.isEmpty()) {
        return "key-" + digest(token);
      }
    }
    return DEFAULT;
  }

  static boolean plainId(String value) {
    if (value.length() > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '@'
              || c == '/'
              || c == '-';
      if (!plain) {
        return false;
      }
    }
    // the prefixes of hashed keys are reserved
    return !value.startsWith("id-") && !value.startsWith("key-");
  }

  private static String digest(String value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
