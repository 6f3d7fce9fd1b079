package io.igw.controller.status;

import java.util.Map;

/**
 * The status igw wants on one resource: {@code kind}, "namespace/name" and the status object in the
 * resource's own shape (as a JSON-like map), so a writer can compare it with what is there and
 * patch only on change.
 */
public record ResourceStatus(
    String kind, String apiVersion, String key, Map<String, Object> status) {}
