// Unit tests of the njs modules with a fake request object. Run: njs -p njs njs/test/igw_test.js
import pickAnswer from 'pick_answer.js';
import errors from 'openai_error.js';
import igw from 'igw.js';
import backends from 'backends.js';
import controllerValuesTests from 'controller_values_test.js';
import usageTests from 'usage_test.js';
import requestHeaders from 'request_headers.js';

var passed = 0, failed = 0;

function check(name, actual, expected) {
    var a = JSON.stringify(actual), e = JSON.stringify(expected);
    if (a === e) {
        passed++;
    } else {
        failed++;
        console.log('FAIL ' + name + ': got ' + a + ' expected ' + e);
    }
}

// pick_answer.endpoints
check('single', pickAnswer.endpoints('127.0.10.1:8000'), ['127.0.10.1:8000']);
check('list with spaces', pickAnswer.endpoints('127.0.10.1:8000, 127.0.10.2:8001'), ['127.0.10.1:8000', '127.0.10.2:8001']);
check('ipv6', pickAnswer.endpoints('[fd00::1]:8000'), ['[fd00::1]:8000']);
check('drops hostnames', pickAnswer.endpoints('evil.com:80,127.0.10.1:8000'), ['127.0.10.1:8000']);
check('drops paths', pickAnswer.endpoints('127.0.10.1:8000/x'), []);
check('drops injection', pickAnswer.endpoints('127.0.10.1:80;rm'), []);
check('drops bad port', pickAnswer.endpoints('127.0.10.1:70000,127.0.10.1:0'), []);
check('drops bad octet', pickAnswer.endpoints('127.0.10.256:80'), []);
check('dedupes', pickAnswer.endpoints('127.0.10.1:80,127.0.10.1:80'), ['127.0.10.1:80']);
check('missing', pickAnswer.endpoints(undefined), []);
check('too long', pickAnswer.endpoints('1.1.1.1:1,'.repeat(300)), []);

// openai_error.body
check('error shape', JSON.parse(errors.body(429, 'shed', 'x')),
    {error: {message: 'shed', type: 'rate_limit_exceeded', param: null, code: 'x'}});

// $igw_route as the controller renders it (docs/njs-contract.md): one unconditional rule with these backends.
function routeOf(list) {
    return JSON.stringify({version: 1, rules: [{backends: list}]});
}
function backend(location, failureMode, pool, picker, weight) {
    return {weight: weight === undefined ? 1 : weight, location: location, pool: pool, picker: picker,
        failureMode: failureMode};
}
function oneBackend(location, failureMode, pool, picker) {
    return routeOf([backend(location, failureMode, pool, picker)]);
}

// igw.route with a fake r
function fakeRequest(body, reply, vars) {
    var r = {
        method: 'POST', requestText: body, headersIn: {}, headersOut: {}, logs: [], uri: '/v1/completions',
        variables: Object.assign({igw_route: oneBackend('@igw_pool_0', 'FailClose', 'default/p', 'in-process'),
            request_uri: '/v1/completions'}, vars || {}),
        subrequest: function (uri, opts) {
            r.subrequestArgs = {uri: uri, opts: opts};
            return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply);
        },
        internalRedirect: function (to) { r.redirectedTo = to; },
        return: function (status, text) { r.status = status; r.text = text; },
        error: function (m) { r.logs.push(m); },
        warn: function (m) { r.logs.push(m); }
    };
    poolEndpoints(r.variables, POOL_ENDPOINTS);
    return r;
}

// What the controller renders: the volatile map $igw_pick_check -> $igw_pick_allowed.
var POOL_ENDPOINTS = ['default/p 127.0.0.1:1', 'default/p 127.0.0.2:2', 'default/p 127.0.10.7:3000',
    'ns/gold 127.0.0.1:1', 'ns/v2 127.0.0.1:1'];
function poolEndpoints(variables, keys) {
    var check = '';
    Object.defineProperty(variables, 'igw_pick_check', {set: function (v) { check = v; }, get: function () {
        return check;
    }});
    Object.defineProperty(variables, 'igw_pick_allowed', {configurable: true, get: function () {
        return keys.indexOf(check) >= 0 ? '1' : '0';
    }});
}

var ok = {status: 200, headersOut: {'x-gateway-destination-endpoint': '127.0.0.1:1,127.0.0.2:2'}, responseText: ''};
var tests = [];

var r1 = fakeRequest('{"model":"m"}', ok);
tests.push(igw.route(r1).then(function () {
    check('routes to first', r1.variables.igw_endpoint, '127.0.0.1:1');
    check('keeps fallbacks', r1.variables.igw_endpoints, '127.0.0.2:2');
    check('redirects to pool', r1.redirectedTo, '@igw_pool_0');
    // the pick subrequest inherits the client's buffered body: njs passes no copy of it
    check('passes no body copy', r1.subrequestArgs.opts.body, undefined);
    check('asks with POST', r1.subrequestArgs.opts.method, 'POST');
}));

// njs never reads the body (no njs string copy of it): the picker checks it and its OpenAI error is forwarded
var badJson = {status: 400, headersOut: {},
    responseText: '{"error":{"message":"the request body is not valid JSON","type":"invalid_request_error",'
        + '"param":null,"code":"invalid_json"}}'};
var r2 = fakeRequest('{bad', badJson);
Object.defineProperty(r2, 'requestText', {get: function () {
    r2.readBody = true;
    return '{bad';
}});
tests.push(igw.route(r2).then(function () {
    check('bad json: the picker\'s 400', r2.status, 400);
    check('bad json: the picker\'s code', JSON.parse(r2.text).error.code, 'invalid_json');
    check('bad json: asked the picker', r2.subrequestArgs.uri, '/_igw/pick');
    check('the body is never read in njs', r2.readBody, undefined);
}));

var r3 = fakeRequest('{"model":"m"}', {status: 502, headersOut: {}, responseText: '<html>502</html>'});
tests.push(igw.route(r3).then(function () {
    check('picker down fail close', r3.status, 503);
}));

var r4 = fakeRequest('{"model":"m"}', {status: 502, headersOut: {}, responseText: ''},
    {igw_route: oneBackend('@igw_pool_0', 'FailOpen', 'default/p', 'in-process')});
tests.push(igw.route(r4).then(function () {
    check('picker down fail open', r4.redirectedTo, '@igw_pool_0_failopen');
}));

var r5 = fakeRequest('{"model":"m"}', {status: 429, headersOut: {},
    responseText: errors.body(429, 'shed', 'shed')});
tests.push(igw.route(r5).then(function () {
    check('picker error passed through', r5.status, 429);
}));

var r6 = fakeRequest('{"model":"m"}', {status: 200, headersOut: {'x-gateway-destination-endpoint': 'evil:80'}, responseText: ''});
tests.push(igw.route(r6).then(function () {
    check('invalid answer fails close', r6.status, 503);
}));

var r7 = fakeRequest('{"model":"m"}', {status: 200, responseText: '{"model":"m2"}',
    headersOut: {'x-gateway-destination-endpoint': '127.0.0.1:1', 'x-igw-body-rewritten': 'true'}});
tests.push(igw.route(r7).then(function () {
    check('rewrite target', r7.redirectedTo, '@igw_pool_0_rewrite');
    check('rewrite body', r7.variables.igw_body, '{"model":"m2"}');
}));

var r8 = fakeRequest(undefined, ok);
r8.method = 'GET';
tests.push(igw.route(r8).then(function () {
    check('bodyless routed', r8.redirectedTo, '@igw_pool_0');
    check('bodyless pick has no body', r8.subrequestArgs.opts.body, undefined);
}));

var r9 = fakeRequest('{"model":"m"}', new Error('boom'));
tests.push(igw.route(r9).then(function () {
    check('subrequest throws fail close', r9.status, 503);
}));

var r10 = fakeRequest('', ok, {igw_endpoint: '127.0.0.1:1', igw_endpoints: '127.0.0.2:2,127.0.0.3:3', igw_target: '@t'});
igw.retry(r10);
check('retry next', r10.variables.igw_endpoint, '127.0.0.2:2');
check('retry rest', r10.variables.igw_endpoints, '127.0.0.3:3');
check('retry target', r10.redirectedTo, '@t_next');
var r11 = fakeRequest('', ok, {igw_endpoint: '127.0.0.1:1', igw_endpoints: ''});
igw.retry(r11);
check('retry exhausted', r11.status, 502);
var r11t = fakeRequest('', ok, {igw_endpoint: '127.0.0.1:1', igw_endpoints: '', upstream_status: '502, 504'});
igw.retry(r11t);
check('retry exhausted after a timeout', r11t.status, 504);

var r12 = fakeRequest('{"model":"m"}', ok, {igw_route: ''});
tests.push(igw.route(r12).then(function () {
    check('missing route 500', r12.status, 500);
    check('missing route code', JSON.parse(r12.text).error.code, 'gateway_misconfigured');
    check('missing route logged', r12.logs.some(function (l) {
        return l.indexOf('igw: event=route_value_malformed') === 0 && l.indexOf('not set') > 0; }), true);
    check('missing route not asked', r12.subrequestArgs, undefined);
}));

var r13 = fakeRequest('{"model":"m"}', ok, {igw_route: routeOf([{weight: 1}])});
tests.push(igw.route(r13).then(function () {
    check('missing backend 500', r13.status, 500);
    check('missing backend code', JSON.parse(r13.text).error.code, 'backend_not_found');
}));

var r14 = fakeRequest('{"model":"m"}', ok, {igw_route: oneBackend('@igw_rule_0', 'FailClose', 'default/p', 'unavailable')});
tests.push(igw.route(r14).then(function () {
    check('unavailable picker fail close 503', r14.status, 503);
    check('unavailable picker not asked', r14.subrequestArgs, undefined);
}));

var r15 = fakeRequest('{"model":"m"}', ok, {igw_route: oneBackend('@igw_rule_0', 'FailOpen', 'default/p', 'unavailable')});
tests.push(igw.route(r15).then(function () {
    check('unavailable picker fail open', r15.redirectedTo, '@igw_rule_0_failopen');
}));

// bridge: a foreign EPP's pool is asked through the picker; its request-header mutations fill js_vars
var bridged = {status: 200, responseText: '', headersOut: {'x-gateway-destination-endpoint': '127.0.10.7:3000',
    'X-Igw-Set-X-Tenant-Route': 'blue:127.0.10.7:3000', 'x-igw-set-x-unknown': 'v'}};
var r16 = fakeRequest('{"model":"m"}', bridged, {igw_route: oneBackend('@igw_rule_0', 'FailClose', 'default/p', 'bridge'),
    igw_set_x_tenant_route: '', igw_target: '', igw_endpoint: '', igw_endpoints: '', igw_body: ''});
Object.preventExtensions(r16.variables);
tests.push(igw.route(r16).then(function () {
    check('bridge pool routed', r16.redirectedTo, '@igw_rule_0');
    check('bridge pool asked the picker', r16.subrequestArgs.opts.args.indexOf('pool=default%2Fp'), 0);
    check('allowed EPP header set', r16.variables.igw_set_x_tenant_route, 'blue:127.0.10.7:3000');
    check('EPP header not on the allow-list dropped and logged', r16.logs.some(function (l) {
        return l.indexOf('event=epp_header_dropped header=x-unknown reason=not_allowed') > 0; }), true);
}));
var r17 = fakeRequest('{"model":"m"}', {status: 502, headersOut: {}, responseText: ''},
    {igw_route: oneBackend('@igw_rule_0', 'FailOpen', 'default/p', 'bridge')});
tests.push(igw.route(r17).then(function () {
    check('bridge EPP gone fail open', r17.redirectedTo, '@igw_rule_0_failopen');
}));

// endpoints outside the asked pool are refused; the pool's own entries of the list stay usable
var outside = {status: 200, responseText: '', headersOut: {
    'x-gateway-destination-endpoint': '169.254.169.254:80,127.0.0.2:2,127.0.0.1:22'}};
var p1 = fakeRequest('{"model":"m"}', outside);
tests.push(igw.route(p1).then(function () {
    check('outside entries dropped', p1.variables.igw_endpoint, '127.0.0.2:2');
    check('no outside fallback', p1.variables.igw_endpoints, '');
    check('refusal logged', p1.logs.some(function (l) {
        return l.indexOf('event=endpoint_refused') >= 0 && l.indexOf('169.254.169.254:80,127.0.0.1:22') > 0;
    }), true);
}));
var p2 = fakeRequest('{"model":"m"}', {status: 200, responseText: '',
    headersOut: {'x-gateway-destination-endpoint': '127.0.0.1:22,169.254.169.254:80'}});
tests.push(igw.route(p2).then(function () {
    check('all outside 502', p2.status, 502);
    check('all outside code', JSON.parse(p2.text).error.code, 'endpoint_not_in_pool');
    check('all outside not proxied', p2.redirectedTo, undefined);
}));
var p3 = fakeRequest('{"model":"m"}', {status: 200, responseText: '',
    headersOut: {'x-gateway-destination-endpoint': '127.0.0.1:1'}}, {igw_route: oneBackend('@x', 'FailClose', 'other/pool', 'bridge')});
tests.push(igw.route(p3).then(function () {
    check('another pool\'s endpoint 502', p3.status, 502);
}));
var p4 = fakeRequest('{"model":"m"}', ok);
delete p4.variables.igw_pick_allowed;
tests.push(igw.route(p4).then(function () {
    check('unrendered pool map 500', p4.status, 500);
    check('unrendered pool map logged', p4.logs[0].indexOf('event=pool_endpoints_missing') >= 0, true);
}));

// route matches: method, headers, query, fall-through, redirect
var table = JSON.stringify({version: 1, rules: [
    {when: {method: 'POST', headers: {'x-tier': 'gold'}, query: {}},
        backends: [backend('@gold', 'FailClose', 'ns/gold', 'in-process')]},
    {when: {headers: {}, query: {v: '2'}}, backends: [backend('@v2', 'FailClose', 'ns/v2', 'in-process')]},
    {when: {headers: {'x-go': 'away'}, query: {}}, redirect: {status: 301, host: 'other.example.com', path: '/new'}}]});
function matchRequest(method, headers, args) {
    var r = fakeRequest('{"model":"m"}', ok, {igw_route: table, scheme: 'http', host: 'gw', request_uri: '/x'});
    r.method = method;
    r.headersIn = headers;
    r.args = args;
    return r;
}
var m1 = matchRequest('POST', {'x-tier': 'gold'}, {});
tests.push(igw.route(m1).then(function () { check('match method+header', m1.redirectedTo, '@gold'); }));
var m2 = matchRequest('GET', {'x-tier': 'gold'}, {v: '2'});
tests.push(igw.route(m2).then(function () { check('match query', m2.redirectedTo, '@v2'); }));
var m3 = matchRequest('GET', {}, {});
tests.push(igw.route(m3).then(function () { check('no candidate 404', m3.status, 404); }));
var m4 = matchRequest('GET', {'x-go': 'away'}, {});
tests.push(igw.route(m4).then(function () {
    check('redirect status', m4.status, 301);
    check('redirect url', m4.text, 'http://other.example.com/new');
}));
var m5 = fakeRequest('{"model":"m"}', ok, {igw_route: '{not json'});
tests.push(igw.route(m5).then(function () {
    check('bad table 500', m5.status, 500);
    check('bad table is an OpenAI error', JSON.parse(m5.text).error.type, 'server_error');
    check('bad table logged', m5.logs[0].indexOf('igw: event=route_value_malformed') === 0, true);
}));
var m6 = fakeRequest('{"model":"m"}', ok, {igw_route: JSON.stringify({version: 2, rules: [{backends: []}]})});
tests.push(igw.route(m6).then(function () { check('other version 500', m6.status, 500); }));
var m7 = fakeRequest('{"model":"m"}', ok, {igw_route: routeOf([{weight: 1, location: '@x', pool: 'ns/p',
    picker: 'elsewhere', failureMode: 'FailOpen'}])});
tests.push(igw.route(m7).then(function () {
    check('unknown picker 500', m7.status, 500);
    check('unknown picker not asked', m7.subrequestArgs, undefined);
}));
var m8 = fakeRequest('{"model":"m"}', ok, {igw_route: routeOf([])});
tests.push(igw.route(m8).then(function () {
    check('no backend left 500', m8.status, 500);
    check('no backend left code', JSON.parse(m8.text).error.code, 'backend_not_found');
}));

// the picker added include_usage: $igw_strip_usage tells the usage filter; a config without it is a 500
var strip = {status: 200, headersOut: {'x-gateway-destination-endpoint': '127.0.0.1:1', 'x-igw-body-rewritten': 'true',
    'x-igw-strip-usage': '1'}, responseText: '{"model":"m","stream":true,"stream_options":{"include_usage":true}}'};
var s1 = fakeRequest('{"model":"m","stream":true}', strip);
tests.push(igw.route(s1).then(function () {
    check('strip flag stored', s1.variables.igw_strip_usage, '1');
    check('rewritten body sent', s1.redirectedTo, '@igw_pool_0_rewrite');
}));
var s2 = fakeRequest('{"model":"m","stream":true}', strip);
Object.defineProperty(s2.variables, 'igw_strip_usage', {set: function () { throw new Error('not found'); }});
tests.push(igw.route(s2).then(function () {
    check('no strip variable 500', s2.status, 500);
    check('no strip variable not proxied', s2.redirectedTo, undefined);
}));
var s3 = fakeRequest('{"model":"m"}', ok);
tests.push(igw.route(s3).then(function () { check('no strip flag by default', s3.variables.igw_strip_usage, undefined); }));

// request_headers.js: a control character in any header value is the client's error, before any pick
check('plain headers pass', requestHeaders.invalidHeader([['Host', 'a'], ['X-T', 'tab\tok ~\u00e9']]), null);
check('no raw headers', requestHeaders.invalidHeader(undefined), null);
check('control char named', requestHeaders.invalidHeader([['Host', 'a'], ['X-Tenant', 'a\u0001b']]), 'X-Tenant');
check('DEL refused', requestHeaders.invalidHeader([['x', '\u007f']]), 'x');
check('newline refused', requestHeaders.invalidHeader([['x', 'a\nb']]), 'x');
check('NUL refused', requestHeaders.invalidHeader([['x', '\u0000']]), 'x');
check('odd name sanitized', requestHeaders.invalidHeader([['a"b\u0001', '\u0002']]), 'a?b?');
var h1 = fakeRequest('{"model":"m"}', ok);
h1.rawHeadersIn = [['Host', 'gw'], ['x-gateway-inference-fairness-id', 'a\u0001b']];
tests.push(igw.route(h1).then(function () {
    check('control char header 400', h1.status, 400);
    check('control char header code', JSON.parse(h1.text).error.code, 'invalid_header');
    check('control char header never picked', h1.subrequestArgs, undefined);
}));
var h2 = fakeRequest('{"model":"m"}', ok);
h2.rawHeadersIn = [['Host', 'gw'], ['User-Agent', 'curl/8 \u00e9\t']];
tests.push(igw.route(h2).then(function () { check('printable headers routed', h2.redirectedTo, '@igw_pool_0'); }));

// backends.choose
var two = [backend('@a', 'FailClose', 'ns/a', 'in-process', 70), backend('@b', 'FailOpen', 'ns/b', 'in-process', 30)];
check('choose low', backends.choose(two, 0.0).location, '@a');
check('choose boundary', backends.choose(two, 0.69).location, '@a');
check('choose high', backends.choose(two, 0.71).location, '@b');
check('zero weights', backends.choose([backend('@a', 'FailClose', 'ns/a', 'in-process', 0)], 0.5), null);
check('no backends', backends.choose([], 0.5), null);

// rate_limit_headers: the picker's x-ratelimit-* onto the client's answer
var limited = {status: 200, responseText: '', headersOut: {'x-gateway-destination-endpoint': '127.0.0.1:1',
    'x-ratelimit-limit-tokens': '2000', 'x-ratelimit-remaining-tokens': '1700', 'x-ratelimit-reset-tokens': '9s',
    'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s',
    'x-ratelimit-hostile': 'x'}};
var rl1 = fakeRequest('{"model":"m"}', limited);
tests.push(igw.route(rl1).then(function () {
    check('limits to js_var', rl1.variables.igw_ratelimit_limit_tokens, '2000');
    check('remaining to js_var', rl1.variables.igw_ratelimit_remaining_tokens, '1700');
    check('reset to js_var', rl1.variables.igw_ratelimit_reset_tokens, '9s');
    check('requests trio to js_var', rl1.variables.igw_ratelimit_reset_requests, '1s');
    check('other names not taken', rl1.variables.igw_ratelimit_hostile, undefined);
    check('still proxied', rl1.redirectedTo, '@igw_pool_0');
}));
var refused = {status: 429, headersOut: {'retry-after': '3', 'x-ratelimit-limit-tokens': '2000',
    'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '1m0s', 'x-ratelimit-limit-requests': 'a\r\nb'},
responseText: '{"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}'};
var rl2 = fakeRequest('{"model":"m"}', refused);
tests.push(igw.route(rl2).then(function () {
    check('refusal passed on', rl2.status, 429);
    check('retry-after on refusal', rl2.headersOut['retry-after'], '3');
    check('limit on refusal', rl2.headersOut['x-ratelimit-limit-tokens'], '2000');
    check('reset on refusal', rl2.headersOut['x-ratelimit-reset-tokens'], '1m0s');
    check('bad value dropped', rl2.headersOut['x-ratelimit-limit-requests'], undefined);
    check('refusal type kept', JSON.parse(rl2.text).error.type, 'tokens');
}));
var rl3 = fakeRequest('{"model":"m"}', limited);
Object.defineProperty(rl3.variables, 'igw_ratelimit_limit_tokens', {set: function () { throw new Error('no var'); }});
tests.push(igw.route(rl3).then(function () {
    check('undeclared js_var logged', rl3.logs.some(function (l) { return l.indexOf('rate_limit_headers_dropped') >= 0; }),
        true);
    check('undeclared js_var still proxied', rl3.redirectedTo, '@igw_pool_0');
}));

// controller_values: $igw_route and the pool-endpoint key, against hand-written and controller-rendered values
controllerValuesTests.run(check);

// usage_scan.js / usage.js: token usage read from answers as they pass
usageTests.run(check);

Promise.all(tests).then(function () {
    console.log(passed + ' passed, ' + failed + ' failed');
    if (failed > 0) {
        throw new Error('njs tests failed');
    }
});
