package io.igw.controller.render;

import java.nio.charset.StandardCharsets;

/** A rendered file: its path relative to the NGINX prefix and its content. */
public record ConfigFile(String path, byte[] content) {
  public String text() {
    return new String(content, StandardCharsets.UTF_8);
  }
}
