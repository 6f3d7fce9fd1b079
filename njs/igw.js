// The inference route: choose the location's rule, read the model, choose the rule's backend pool by weight, ask
// that pool's picker, then hand the request to the chosen endpoint. The rules come from $igw_route
// (controller_values.js, docs/njs-contract.md). State that must survive internal redirects lives in js_var
// variables: $igw_endpoint, $igw_endpoints, $igw_target, $igw_body, $igw_strip_usage.

import errors from 'openai_error.js';
import requestHeaders from 'request_headers.js';
import pickAnswer from 'pick_answer.js';
import backends from 'backends.js';
import routeMatch from 'route_match.js';
import controllerValues from 'controller_values.js';
import rateLimitHeaders from 'rate_limit_headers.js';

const PICK_URI = '/_igw/pick';
const ENDPOINT_HEADER = 'x-gateway-destination-endpoint';
// x-igw-set-<name>: a request header the pool's EPP set (bridge); applied through js_var $igw_set_<name>.
const SET_HEADER_PREFIX = 'x-igw-set-';
// The picker added stream_options.include_usage for the gateway's accounting: usage.js drops that usage chunk.
const STRIP_USAGE_HEADER = 'x-igw-strip-usage';

async function route(r) {
    var routeValue = controllerValues.route(r.variables.igw_route);
    if (routeValue.error) {
        r.error('igw: event=route_value_malformed uri=' + JSON.stringify(r.uri) + ' detail='
            + JSON.stringify(routeValue.error));
        errors.send(r, 500, 'gateway misconfigured', 'gateway_misconfigured');
        return;
    }
    var rule = routeMatch.choose(r, routeValue.rules);
    if (rule === null) {
        errors.send(r, 404, 'no route matches this request', 'route_not_found');
        return;
    }
    if (rule.redirect) {
        r.return(rule.redirect.status, routeMatch.redirectUrl(r, rule.redirect));
        return;
    }
    var badHeader = requestHeaders.invalidHeader(r.rawHeadersIn);
    if (badHeader !== null) {
        errors.send(r, 400, 'the value of request header ' + badHeader + ' has a control character',
            'invalid_header');
        return;
    }
    var backend = backends.choose(rule.backends, Math.random());
    if (backend === null || backend.location === undefined) {
        errors.send(r, 500, 'the route\'s backend was not found', 'backend_not_found');
        return;
    }
    var pool = backend.pool, target = backend.location, failureMode = backend.failureMode;
    if (backend.picker !== 'in-process' && backend.picker !== 'bridge') {
        pickerUnavailable(r, pool, target, failureMode, null);
        return;
    }
    var args = 'pool=' + encodeURIComponent(pool) + '&method=' + encodeURIComponent(r.method)
        + '&path=' + encodeURIComponent(r.variables.request_uri);
    var reply;
    try {
        // No body option: the subrequest carries the client's own buffered body (NGINX gives a
        // subrequest its parent's request_body, and the pick location passes it on), so the body
        // is not copied into a new njs string and buffer per pick. njs never reads the body: the
        // picker checks it (JSON, an object, a string model, a JSON content type) and answers a
        // body it cannot route by with its OpenAI error, which is forwarded below.
        reply = await r.subrequest(PICK_URI, {method: 'POST', args: args});
    } catch (e) {
        r.error('igw: pick subrequest failed pool=' + pool + ' error=' + e.message);
        reply = null;
    }
    if (reply === null || !pickerAnswered(reply)) {
        pickerUnavailable(r, pool, target, failureMode, reply);
        return;
    }
    if (reply.status !== 200) {
        rateLimitHeaders.toResponse(r, reply.headersOut);
        errors.forward(r, reply.status, reply.responseText);
        return;
    }
    var endpoints = pickAnswer.endpoints(reply.headersOut[ENDPOINT_HEADER]);
    if (endpoints.length === 0) {
        r.error('igw: picker answered without a valid endpoint pool=' + pool + ' header='
            + JSON.stringify(reply.headersOut[ENDPOINT_HEADER] || ''));
        pickerUnavailable(r, pool, target, failureMode, reply);
        return;
    }
    var inPool = pickAnswer.withinPool(r, pool, endpoints);
    if (inPool === null) {
        r.error('igw: event=pool_endpoints_missing pool=' + pool
            + ' detail="$igw_pick_check / $igw_pick_allowed are not rendered"');
        errors.send(r, 500, 'gateway misconfigured', 'gateway_misconfigured');
        return;
    }
    if (inPool.refused.length > 0) {
        r.error('igw: event=endpoint_refused reason=not_in_pool pool=' + pool + ' endpoints='
            + inPool.refused.join(',') + ' kept=' + inPool.endpoints.length);
    }
    if (inPool.endpoints.length === 0) {
        errors.send(r, 502, 'the endpoint picker chose an endpoint outside the pool', 'endpoint_not_in_pool');
        return;
    }
    endpoints = inPool.endpoints;
    if (reply.headersOut['x-igw-body-rewritten'] === 'true') {
        r.variables.igw_body = reply.responseText;
        target = target + '_rewrite';
    }
    if (reply.headersOut[STRIP_USAGE_HEADER] === '1' && !setStripUsage(r)) {
        return;
    }
    setEppHeaders(r, reply.headersOut);
    if (!rateLimitHeaders.toVariables(r, reply.headersOut)) {
        r.error('igw: event=rate_limit_headers_dropped detail="$igw_ratelimit_* are not declared in nginx.conf"');
    }
    r.variables.igw_target = target;
    r.variables.igw_endpoint = endpoints[0];
    r.variables.igw_endpoints = endpoints.slice(1).join(',');
    r.internalRedirect(target);
}

// Each x-igw-set-<name> answer header fills $igw_set_<name>: only names on the operator's allow-list
// (--epp-request-header) are rendered as js_vars; any other name cannot be set, so it is dropped and logged.
function setEppHeaders(r, headers) {
    for (var name in headers) {
        var lower = name.toLowerCase();
        if (lower.indexOf(SET_HEADER_PREFIX) !== 0) {
            continue;
        }
        var variable = 'igw_set_' + lower.substring(SET_HEADER_PREFIX.length).replace(/-/g, '_');
        try {
            r.variables[variable] = headers[name];
        } catch (e) {
            r.warn('igw: event=epp_header_dropped header=' + lower.substring(SET_HEADER_PREFIX.length)
                + ' reason=not_allowed detail="not on the controller\'s --epp-request-header allow-list"');
        }
    }
}

// The picker asks for it only when the pick location said the usage filter is rendered (x-igw-usage-filter); a
// config without $igw_strip_usage would hand the client a chunk it did not ask for.
function setStripUsage(r) {
    try {
        r.variables.igw_strip_usage = '1';
        return true;
    } catch (e) {
        r.error('igw: event=usage_filter_missing detail="the picker added include_usage but $igw_strip_usage is not'
            + ' rendered"');
        errors.send(r, 500, 'gateway misconfigured', 'gateway_misconfigured');
        return false;
    }
}

// The picker's own answers are 200 or carry an OpenAI error body; anything else (NGINX's 502/504 page, an
// empty 500) means the picker could not be asked.
function pickerAnswered(reply) {
    if (reply.status === 200) {
        return true;
    }
    try {
        var parsed = JSON.parse(reply.responseText);
        return parsed !== null && typeof parsed === 'object' && typeof parsed.error === 'object';
    } catch (e) {
        return false;
    }
}

function pickerUnavailable(r, pool, target, failureMode, reply) {
    var status = reply ? reply.status : 0;
    if (failureMode === 'FailOpen') {
        r.warn('igw: picker unavailable, failing open pool=' + pool + ' picker_status=' + status);
        r.internalRedirect(target + '_failopen');
        return;
    }
    r.warn('igw: picker unavailable, failing closed pool=' + pool + ' picker_status=' + status);
    errors.send(r, 503, 'the endpoint picker for this pool is unavailable', 'picker_unavailable');
}

// error_page handler of a pool location: the endpoint failed before answering; try the next fallback.
function retry(r) {
    var rest = r.variables.igw_endpoints ? r.variables.igw_endpoints.split(',') : [];
    var failed = r.variables.igw_endpoint;
    if (rest.length === 0) {
        var statuses = (r.variables.upstream_status || '').split(/[,:] */);
        var last = statuses[statuses.length - 1];
        r.warn('igw: endpoint failed, no fallback left endpoint=' + failed + ' upstream_status=' + last);
        if (last === '504') {
            errors.send(r, 504, 'the model server did not answer in time', 'upstream_timeout');
            return;
        }
        errors.send(r, 502, 'the model server failed before answering', 'upstream_failed');
        return;
    }
    r.warn('igw: endpoint failed, trying next endpoint=' + failed + ' next=' + rest[0]);
    r.variables.igw_endpoint = rest[0];
    r.variables.igw_endpoints = rest.slice(1).join(',');
    r.internalRedirect(r.variables.igw_target + '_next');
}

export default {route, retry};
