/**
 * The controller's event log: one line per event on stdout, used by every stage that touches the
 * world (apply, status) and by the command line. It depends on no other controller package.
 */
package io.igw.controller.log;
