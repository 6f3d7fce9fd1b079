/**
 * The simulator's event log: one line per event on stdout. It depends on no other simulator
 * package.
 */
package io.igw.simulator.log;
