/**
 * The gateway model: servers, locations, pools and upstreams as small view records, built from a snapshot
 * by a pure function. Templates see only these types, never fabric8 ones.
 */
package io.igw.controller.model;
