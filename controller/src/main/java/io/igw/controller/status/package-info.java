/**
 * Status: the conditions of the graph as each resource's desired status (a pure function), and the
 * writers that publish them (a file in local mode, the Kubernetes API otherwise) only when they
 * changed.
 */
package io.igw.controller.status;
