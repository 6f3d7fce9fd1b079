package io.igw.picker.extproc;

/** Where a foreign EPP listens and how the bridge secures the channel to it. */
public record EppTarget(String host, int port, EppTls tls) {
  @Override
  public String toString() {
    return host + ":" + port + "/" + tls.name().toLowerCase(java.util.Locale.ROOT);
  }
}
