package io.igw.controller.model;

/**
 * A URLRewrite filter: the Host towards the model server ({@code hostname}, null keeps the
 * client's) and the path ({@code path}, null keeps it).
 */
public record UrlRewrite(String hostname, PathRewrite path) {
  /** How the path is rewritten. */
  public sealed interface PathRewrite permits ReplaceFullPath, ReplacePrefix {}

  /** The whole path becomes {@code path}; the query string stays. */
  public record ReplaceFullPath(String path) implements PathRewrite {}

  /**
   * The matched {@code prefix} (without a trailing '/', "" for "/") is replaced by {@code
   * replacement} (without a trailing '/', "" for "/"); the rest of the path stays.
   */
  public record ReplacePrefix(String prefix, String replacement) implements PathRewrite {}
}
