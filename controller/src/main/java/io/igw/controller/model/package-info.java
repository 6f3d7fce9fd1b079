/**
 * The gateway model: servers, locations, pools and upstreams as typed records (header changes, URL
 * rewrites, redirects, picker and failure modes), built from the graph by a pure function. No NGINX
 * text and no fabric8 types.
 */
package io.igw.controller.model;
