package io.igw.deploy;

import java.util.Locale;

/**
 * One Kubernetes API request as RBAC sees it: API group, resource (with its subresource,
 * "gateways/status"), verb, and the namespace it was made in (null: cluster-wide or a
 * cluster-scoped resource). Paths outside /api and /apis (discovery, /version) are non-resource
 * requests: resource null.
 */
record ApiRequest(String group, String resource, String verb, String namespace, String path) {
  static ApiRequest of(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    boolean watch = q >= 0 && pathAndQuery.substring(q).matches(".*[?&]watch=(true|1)(&.*)?");
    String[] s = path.replaceAll("^/+", "").split("/");
    int i;
    String group;
    if (s.length >= 3 && s[0].equals("api")) {
      group = "";
      i = 2;
    } else if (s.length >= 4 && s[0].equals("apis")) {
      group = s[1];
      i = 3;
    } else {
      return new ApiRequest(null, null, method.toLowerCase(Locale.ROOT), null, path);
    }
    String namespace = null;
    if (s[i].equals("namespaces") && s.length > i + 2) {
      namespace = s[i + 1];
      i += 2;
    }
    String resource = s[i];
    String name = s.length > i + 1 ? s[i + 1] : null;
    if (s.length > i + 2) {
      resource += "/" + s[i + 2];
    }
    return new ApiRequest(group, resource, verb(method, name != null, watch), namespace, path);
  }

  private static String verb(String method, boolean named, boolean watch) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase(Locale.ROOT);
    };
  }

  /** group/resource verb, the way a Role rule names it. */
  String permission() {
    return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
  }
}
