package io.igw.api.manifest;

/** A manifest that cannot be read; the message names the file, the document and the problem. */
public class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
