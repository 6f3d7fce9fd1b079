/**
 * Apply: lay out an NGINX prefix, check a rendered config with {@code nginx -t}, and only then put
 * it in place. Touches the file system and runs NGINX.
 */
package io.igw.controller.apply;
