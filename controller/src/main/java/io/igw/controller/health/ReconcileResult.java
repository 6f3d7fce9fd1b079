package io.igw.controller.health;

/** How one reconcile ended, as health and readiness see it. */
public enum ReconcileResult {
  /** A new config passed {@code nginx -t} and NGINX runs it. */
  APPLIED,
  /** The config did not change; NGINX runs it. */
  UNCHANGED,
  /** The new config failed {@code nginx -t}; the last good one (if any) keeps serving. */
  REJECTED,
  /** The manifests could not be read; the last good config (if any) keeps serving. */
  SOURCE_INVALID,
  /** NGINX could not be started or reloaded. */
  NGINX_FAILED,
  /** The reconcile was interrupted (shutdown). */
  INTERRUPTED;

  /** NGINX serves a config this reconcile vouched for. */
  boolean serving() {
    return this == APPLIED || this == UNCHANGED;
  }
}
