/**
 * The response relay (relay mode of {@code --epp-response-phase}): NGINX proxies a bridged pool's
 * requests to the picker, which forwards them to the picked endpoints, hands the server's response
 * headers to the pool's EPP and applies its header mutations before the response streams on to
 * NGINX. Sits above the bridge ({@link io.igw.picker.extproc.EppBridge}), which keeps the request's
 * ext_proc stream until the relay claims it.
 */
package io.igw.picker.relay;
