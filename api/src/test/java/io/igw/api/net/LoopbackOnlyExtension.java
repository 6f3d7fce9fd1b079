package io.igw.api.net;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test (or the class, for set-up in {@code @BeforeAll}) during which something aimed
 * traffic outside loopback ({@link LoopbackOnly}). Registered for every test by JUnit's extension
 * auto-detection, which the build turns on.
 */
public final class LoopbackOnlyExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    LoopbackOnly.drainViolations();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context);
  }

  private static void check(ExtensionContext context) {
    List<String> violations = LoopbackOnly.drainViolations();
    if (!violations.isEmpty()) {
      throw new AssertionError(
          context.getDisplayName()
              + " aimed traffic outside 127.0.0.0/8 (tests send only to"
              + " loopback): "
              + violations);
    }
  }
}
