package io.igw.controller.model;

/**
 * A RequestRedirect: its status (301 or 302) and the parts of the Location that change; null keeps
 * the request's.
 */
public record Redirect(int status, String scheme, String hostname, Integer port, String path) {}
