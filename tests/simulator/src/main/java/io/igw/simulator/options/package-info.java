/**
 * What one simulated model server is: where it listens, what it serves and how its engine behaves.
 * The command line and the HTTP server read it; it depends on no other simulator package.
 */
package io.igw.simulator.options;
