package io.igw.api.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * A property that is much more expensive than most (real NGINX, {@code nginx -t}) runs {@code
 * igw.propertyTries / divisor} tries (at least 10), so {@code -Digw.propertyTries=N} scales it with
 * the others. The build passes {@code igw.propertyTries} to the test JVM; without it, 1,000 (the
 * build's default) is assumed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@AddLifecycleHook(ScaledTries.Hook.class)
public @interface ScaledTries {
  String PROPERTY = "igw.propertyTries";
  int DEFAULT_TRIES = 1000;

  int divisor();

  final class Hook implements AroundPropertyHook {
    /** The tries of a property scaled by {@code divisor}. */
    public static int of(int divisor) {
      return Math.max(10, Integer.getInteger(PROPERTY, DEFAULT_TRIES) / divisor);
    }

    @Override
    public PropertyExecutionResult aroundProperty(
        PropertyLifecycleContext context, PropertyExecutor property) throws Throwable {
      context
          .findAnnotation(ScaledTries.class)
          .ifPresent(scaled -> context.attributes().setTries(of(scaled.divisor())));
      return property.execute();
    }
  }
}
