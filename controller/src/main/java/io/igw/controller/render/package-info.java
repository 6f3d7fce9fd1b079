/**
 * Render: the gateway model through the templates of nginx-conf/ into config files. Mustache, because
 * logic-less templates keep NGINX syntax in files and every decision in the Java model.
 */
package io.igw.controller.render;
