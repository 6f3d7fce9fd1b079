package io.igw.picker.scheduling;

import java.util.function.Function;

/**
 * Optional ability of a plugin whose parameters name other plugins ({@code
 * prefixMatchInfoProducerName}): the config loader hands it the plugins by name once all are made;
 * it fails with a {@link ConfigException} naming the field when a reference is missing or of the
 * wrong kind.
 */
public interface PluginReferences extends Plugin {
  void resolve(Function<String, Plugin> pluginsByName);
}
