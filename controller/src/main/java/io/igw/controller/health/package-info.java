/**
 * The controller's own {@code /health} and {@code /ready} (option {@code --health-port}), which the
 * chart's probes ask: {@link io.igw.controller.health.ControllerHealth} records how each reconcile
 * ended; {@link io.igw.controller.health.HealthServer} answers from it.
 */
package io.igw.controller.health;
