// Checks the picker's answer: a comma-separated list of ip:port (IPv4, or [IPv6]:port), each an endpoint of the
// pool asked. Anything else is rejected, so a broken or hostile answer can never steer proxy_pass elsewhere.

import controllerValues from 'controller_values.js';

const MAX_ENDPOINTS = 16;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^\[[0-9a-fA-F:.]{2,45}\]$/;

function endpoint(item) {
    var colon = item.lastIndexOf(':');
    if (colon <= 0) {
        return null;
    }
    var host = item.substring(0, colon);
    var port = item.substring(colon + 1);
    if (!/^\d{1,5}$/.test(port) || +port < 1 || +port > 65535) {
        return null;
    }
    if (!IPV4.test(host) && !IPV6.test(host)) {
        return null;
    }
    return host + ':' + (+port);
}

// Returns the valid endpoints in order, or [] when the header is missing or holds nothing valid.
function endpoints(header) {
    if (typeof header !== 'string' || header.length === 0 || header.length > 2048) {
        return [];
    }
    var out = [];
    var items = header.split(',');
    for (var i = 0; i < items.length && out.length < MAX_ENDPOINTS; i++) {
        var e = endpoint(items[i].trim());
        if (e !== null && out.indexOf(e) < 0) {
            out.push(e);
        }
    }
    return out;
}

// Splits endpoints into those of the pool and the refused rest. The controller renders each pool's endpoints into
// the volatile map $igw_pick_check (controller_values.poolEndpointKey) -> $igw_pick_allowed ("1"); null when it is
// not rendered.
function withinPool(r, pool, list) {
    var out = {endpoints: [], refused: []};
    for (var i = 0; i < list.length; i++) {
        try {
            r.variables.igw_pick_check = controllerValues.poolEndpointKey(pool, list[i]);
        } catch (e) {
            return null;
        }
        var allowed = r.variables.igw_pick_allowed;
        if (allowed === undefined) {
            return null;
        }
        (allowed === '1' ? out.endpoints : out.refused).push(list[i]);
    }
    return out;
}

export default {endpoints, endpoint, withinPool};
