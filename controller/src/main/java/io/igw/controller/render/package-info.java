/**
 * Render: the gateway model through the templates of nginx-conf/ into config files. Mustache,
 * because logic-less templates keep NGINX syntax in files; the views here (ConfigView and the
 * records it holds) give them the model's values as nginx.conf text, quoted in one place ({@code
 * NginxText}), and the values for njs ({@code NjsValues}, docs/njs-contract.md).
 */
package io.igw.controller.render;
