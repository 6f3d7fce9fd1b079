package io.igw.api.net;

import java.util.List;
import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.BeforeContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * {@link LoopbackOnlyExtension} for jqwik's engine, which runs no JUnit Jupiter extensions: fails
 * the property class during which something aimed traffic outside loopback. Registered for every
 * container through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class LoopbackOnlyJqwikHook implements BeforeContainerHook, AfterContainerHook {
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public void beforeContainer(ContainerLifecycleContext context) {
    LoopbackOnly.drainViolations();
  }

  @Override
  public void afterContainer(ContainerLifecycleContext context) {
    List<String> violations = LoopbackOnly.drainViolations();
    if (!violations.isEmpty()) {
      throw new AssertionError(
          context.label()
              + " aimed traffic outside 127.0.0.0/8 (tests send only to"
              + " loopback): "
              + violations);
    }
  }
}
