package io.igw.controller.model;

/** A location of an HTTPRoute rule: its NGINX matcher ("/x", "= /x") and the pool serving it. */
public record RouteLocation(String matcher, PoolBlock pool) {}
