package io.igw.controller.graph;

/**
 * Whether a value from a resource may reach nginx.conf, one method per kind of field. Graph
 * building asks it before anything is rendered; a value it refuses makes its resource not Accepted,
 * never an injected directive.
 */
public interface ValueValidator {
  boolean isPath(String value);

  boolean isHostname(String value);

  /** Kubernetes object names and namespaces. */
  boolean isName(String value);

  boolean isPort(Integer value);

  boolean isIp(String value);

  boolean isHeaderName(String value);

  boolean isHeaderValue(String value);

  /** Header and query values to match: they are rendered inside a single-quoted JSON string. */
  boolean isMatchValue(String value);
}
