package io.igw.picker.scheduling;

import io.vertx.core.Future;

/**
 * Optional ability of a plugin that holds resources (sockets, HTTP clients): started once when the
 * picker starts, with what the picker lends it, and stopped when it closes. A plugin that is never
 * started (the routing lab, unit tests without sockets) must still schedule, falling back to what
 * it can do without them.
 */
public interface PluginLifecycle extends Plugin {
  Future<Void> start(PluginResources resources);

  Future<Void> stop();
}
