package io.igw.picker.extproc;

import java.util.Locale;

/**
 * How the bridge connects to an EPP: TLS verified (default), TLS without verification (explicit),
 * or h2c.
 */
public enum EppTls {
  VERIFY,
  INSECURE_SKIP_VERIFY,
  PLAINTEXT;

  /** {@code verify}, {@code insecure-skip-verify} or {@code plaintext} (any case, '-' or '_'). */
  public static EppTls parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The form {@link #parse} reads and the command line takes: {@code insecure-skip-verify}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
