package io.igw.picker.scheduling;

import io.igw.picker.datastore.Endpoint;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the picker lends a {@link PluginLifecycle} plugin: its Vert.x, every endpoint it knows now
 * (all pools), and the pick clock.
 */
public record PluginResources(Vertx vertx, Supplier<List<Endpoint>> endpoints, Clock clock) {}
