package io.igw.picker.scheduling;

/** A bad EndpointPickerConfig; the message names the plugin or profile and the field. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
