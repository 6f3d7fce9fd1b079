package io.igw.picker.scheduling;

/**
 * Makes a plugin from its name and parameters; reads every parameter it accepts, then calls {@code
 * done()}.
 */
@FunctionalInterface
public interface PluginFactory {
  Plugin create(Parameters parameters);
}
