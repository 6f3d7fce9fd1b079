package io.igw.controller.model;

/**
 * A request header a RequestHeaderModifier "add"s to: a map turns the client's value into "value,"
 * (or "" when absent) so the added value is appended to it.
 */
public record AppendedHeader(String header, String variable, String clientVariable) {
  public static AppendedHeader of(String header) {
    String suffix = header.toLowerCase().replaceAll("[^a-z0-9]", "_");
    return new AppendedHeader(header, "igw_append_" + suffix, "http_" + suffix);
  }
}
