/**
 * Graph: each resource checked on its own ({@code process*}), then linked ({@code build*}) into
 * gateways, listeners, attached routes and referenced pools with their conditions. A pure function
 * of the snapshot.
 */
package io.igw.controller.graph;
