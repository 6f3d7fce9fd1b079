/**
 * One way to start a gateway under test, shared by the end-to-end tests and the benchmarks: find
 * NGINX, render nginx.conf for a set of manifests (in-process or by the controller's {@code render}
 * command), start NGINX and the other parts, wait until they answer, stop them in reverse order.
 */
package io.igw.stack;
