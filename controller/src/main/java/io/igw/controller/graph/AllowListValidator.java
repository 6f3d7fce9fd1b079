package io.igw.controller.graph;

import java.util.regex.Pattern;

/**
 * The one place that decides whether a value from a resource may reach nginx.conf: allow-lists
 * only, so a resource can never inject a directive (no quotes, ';', braces, '$', whitespace or
 * control characters).
 */
public final class AllowListValidator implements ValueValidator {
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,1023}");
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  /**
   * A subset of RFC 9110 tokens: '#' and quotes would start a comment or a string in nginx.conf.
   */
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,255}");

  /** Printable ASCII but no quote, dollar or backslash: values are written inside double quotes. */
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7e&&[^\"$\\\\]]{0,4096}");

  @Override
  public boolean isHeaderName(String value) {
    return value != null && HEADER_NAME.matcher(value).matches();
  }

  @Override
  public boolean isMatchValue(String value) {
    return isHeaderValue(value) && value.indexOf('\'') < 0 && value.length() <= 1024;
  }

  @Override
  public boolean isHeaderValue(String value) {
    return value != null && HEADER_VALUE.matcher(value).matches();
  }

  @Override
  public boolean isPath(String value) {
    return value != null && PATH.matcher(value).matches() && !value.contains("//");
  }

  @Override
  public boolean isHostname(String value) {
    return value != null && value.length() <= 253 && HOSTNAME.matcher(value).matches();
  }

  @Override
  public boolean isName(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  @Override
  public boolean isPort(Integer value) {
    return value != null && value >= 1 && value <= 65535;
  }

  @Override
  public boolean isIp(String value) {
    return value != null
        && (IPV4.matcher(value).matches()
            || (value.contains(":") && IPV6.matcher(value).matches()));
  }
}
