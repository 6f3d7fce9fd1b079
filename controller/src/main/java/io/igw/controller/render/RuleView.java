package io.igw.controller.render;

import io.igw.controller.model.AppendedHeader;
import io.igw.controller.model.HeaderChange;
import io.igw.controller.model.PoolBlock;
import io.igw.controller.model.RuleBlock;
import io.igw.controller.model.UrlRewrite;
import java.util.List;

/**
 * A rule's named locations as the template reads them: the pool, and the rule's filters as
 * directive arguments — {@code headerChanges} ({@code proxy_set_header} / {@code grpc_set_header}
 * name and value), {@code upstreamHost} ({@code set $igw_upstream_host}) and {@code rewrite}
 * ({@code rewrite regex replacement break}), null when absent.
 */
public record RuleView(
    String id,
    PoolBlock pool,
    List<HeaderView> headerChanges,
    String upstreamHost,
    RewriteView rewrite) {

  /** A header towards the model server: its name, and its value as an nginx.conf string. */
  public record HeaderView(String name, String value) {
    static HeaderView of(HeaderChange change) {
      String value =
          switch (change.kind()) {
            case SET -> NginxText.quoted(change.value());
            case ADD ->
                NginxText.quotedString()
                    .variable(AppendedHeader.of(change.name()).variable())
                    .literal(change.value())
                    .toString();
            case REMOVE -> NginxText.quoted("");
          };
      return new HeaderView(NginxText.word(change.name()), value);
    }
  }

  /**
   * The path rewrite: a full path replaces the URI; a prefix keeps what follows it (capture {@code
   * $1}). Paths are bare words of the path allow-list, so neither holds a regex character other
   * than '.', escaped here.
   */
  public record RewriteView(String regex, String replacement) {
    static RewriteView of(UrlRewrite.PathRewrite path) {
      if (path instanceof UrlRewrite.ReplaceFullPath full) {
        return new RewriteView("^", NginxText.word(full.path()));
      }
      UrlRewrite.ReplacePrefix prefix = (UrlRewrite.ReplacePrefix) path;
      return new RewriteView(
          "^" + regexLiteral(prefix.prefix()) + "(/.*)?$",
          (prefix.replacement().isEmpty() ? "" : NginxText.word(prefix.replacement())) + "$1");
    }

    private static String regexLiteral(String path) {
      return path.isEmpty() ? "" : NginxText.word(path).replace(".", "\\.");
    }
  }

  /** The pool's name for the picker's relay ({@code x-igw-relay-pool}). */
  public String relayPool() {
    return NginxText.quoted(pool.name());
  }

  static RuleView of(RuleBlock rule) {
    UrlRewrite rewrite = rule.urlRewrite();
    return new RuleView(
        rule.id(),
        rule.pool(),
        rule.headerChanges().stream().map(HeaderView::of).toList(),
        rewrite == null || rewrite.hostname() == null
            ? null
            : NginxText.quoted(NginxText.word(rewrite.hostname())),
        rewrite == null || rewrite.path() == null ? null : RewriteView.of(rewrite.path()));
  }
}
