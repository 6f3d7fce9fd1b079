package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.Plugin;

/** Makes a plugin from its name and parameters; reads every parameter it accepts, then calls {@code done()}. */
@FunctionalInterface
public interface PluginFactory {
  Plugin create(Parameters parameters);
}
