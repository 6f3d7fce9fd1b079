// Tests of controller_values.js: what the controller renders parses back, and anything else is an {error}, never a
// throw. Run from igw_test.js (njs -p njs njs/test/igw_test.js, from the repository root).
import fs from 'fs';
import controllerValues from 'controller_values.js';

// The controller's golden nginx.conf: every $igw_route the renderer wrote must parse.
const GOLDEN_CONF = 'controller/src/test/resources/golden/two-gateways.nginx.conf';

const BACKEND = {weight: 90, location: '@igw_rule_0', pool: 'team-a/chat', picker: 'in-process',
    failureMode: 'FailOpen'};
const VALID = {version: 1, rules: [
    {when: {method: 'POST', headers: {'x-tier': 'gold'}, query: {v: '2'}}, backends: [BACKEND, {weight: 10}]},
    {when: {headers: {'x-go': 'away'}, query: {}}, redirect: {status: 301, scheme: 'https', host: 'h.example.com',
        port: 8443, path: '/new'}},
    {backends: [{weight: 1, location: '@igw_rule_1', pool: 'ns/b', picker: 'bridge', failureMode: 'FailClose'},
        {weight: 0, location: '@igw_rule_2', pool: 'ns/c', picker: 'unavailable', failureMode: 'FailOpen'}]}]};

function withRule(rule) {
    return JSON.stringify({version: 1, rules: [rule]});
}

function withBackend(changes) {
    return withRule({backends: [Object.assign({}, BACKEND, changes)]});
}

// [name, value, what the error must say]
const MALFORMED = [
    ['unset', undefined, 'not set'],
    ['empty', '', 'not set'],
    ['not JSON', '{"version":1,', 'not JSON'],
    ['a list', '[]', 'version 1'],
    ['no version', '{"rules":[]}', 'version 1'],
    ['another version', JSON.stringify({version: 2, rules: VALID.rules}), 'version 1'],
    ['version as text', JSON.stringify({version: '1', rules: VALID.rules}), 'version 1'],
    ['no rules', '{"version":1}', 'rules must be a non-empty list'],
    ['empty rules', '{"version":1,"rules":[]}', 'rules must be a non-empty list'],
    ['rule not an object', '{"version":1,"rules":[7]}', 'rules[0]: must be an object'],
    ['neither backends nor redirect', withRule({}), 'either backends or a redirect'],
    ['both backends and redirect', withRule({backends: [], redirect: {status: 302}}), 'either backends or a redirect'],
    ['backends not a list', withRule({backends: {}}), 'backends must be a list'],
    ['when not an object', withRule({when: 'x', backends: []}), 'when must be an object'],
    ['method not a string', withRule({when: {method: 1}, backends: []}), 'when.method'],
    ['header value not a string', withRule({when: {headers: {a: 1}}, backends: []}), 'when.headers'],
    ['query a list', withRule({when: {query: ['a']}, backends: []}), 'when.query'],
    ['negative weight', withBackend({weight: -1}), 'backends[0]: weight'],
    ['fractional weight', withBackend({weight: 0.5}), 'backends[0]: weight'],
    ['weight as text', withBackend({weight: '90'}), 'backends[0]: weight'],
    ['location without @', withBackend({location: 'igw_rule_0'}), 'location'],
    ['no pool', withBackend({pool: undefined}), 'pool'],
    ['unknown picker', withBackend({picker: 'elsewhere'}), 'picker must be one of'],
    ['unknown failure mode', withBackend({failureMode: 'failopen'}), 'failureMode'],
    ['redirect status 307', withRule({redirect: {status: 307}}), 'redirect.status'],
    ['redirect without status', withRule({redirect: {}}), 'redirect.status'],
    ['redirect port 0', withRule({redirect: {status: 301, port: 0}}), 'redirect.port'],
    ['redirect host not a string', withRule({redirect: {status: 301, host: 1}}), 'redirect.host']];

// Every value at every place of a valid route, and every truncation of it: an {error} or {rules}, never a throw.
const ODD_VALUES = [null, true, 0, -1, 1.5, '', 'x', [], {}, [1], {a: 1}];

function mutations(value, out, replace) {
    if (value === null || typeof value !== 'object') {
        return;
    }
    for (var key in value) {
        for (var i = 0; i < ODD_VALUES.length; i++) {
            out.push(replace(key, ODD_VALUES[i]));
        }
        (function (k) {
            mutations(value[k], out, function (innerKey, odd) {
                return replace(k, withKey(value[k], innerKey, odd));
            });
        })(key);
    }
}

function withKey(value, key, odd) {
    var copy = Array.isArray(value) ? value.slice() : Object.assign({}, value);
    copy[key] = odd;
    return copy;
}

// NGINX's reading of a quoted string: \" \' \\ lose their backslash, \t \r \n become control characters.
function nginxUnquoted(quoted) {
    var text = quoted.substring(1, quoted.length - 1);
    return text.replace(/\\(["'\\trn])/g, function (all, c) {
        return c === 't' ? '\t' : c === 'r' ? '\r' : c === 'n' ? '\n' : c;
    });
}

function renderedRoutes() {
    var conf = fs.readFileSync(GOLDEN_CONF, 'utf8');
    var out = [];
    var pattern = /^\s*set \$igw_route ('(?:[^'\\]|\\.)*');$/gm;
    var m;
    while ((m = pattern.exec(conf)) !== null) {
        out.push(nginxUnquoted(m[1]));
    }
    return out;
}

function run(check) {
    var valid = JSON.stringify(VALID);
    check('valid route parses as it is', controllerValues.route(valid), {rules: VALID.rules});
    check('an unresolved backend has only a weight', controllerValues.route(withRule({backends: [{weight: 3}]})),
        {rules: [{backends: [{weight: 3}]}]});
    for (var i = 0; i < MALFORMED.length; i++) {
        var result = controllerValues.route(MALFORMED[i][1]);
        check('malformed route, ' + MALFORMED[i][0] + ': ' + JSON.stringify(result.error),
            typeof result.error === 'string' && result.error.indexOf(MALFORMED[i][2]) >= 0 && !result.rules, true);
    }

    var values = [];
    mutations(VALID, values, function (key, odd) { return withKey(VALID, key, odd); });
    values = values.map(function (v) { return JSON.stringify(v); });
    for (var cut = 0; cut < valid.length; cut += 7) {
        values.push(valid.substring(0, cut));
    }
    var answered = 0;
    for (var j = 0; j < values.length; j++) {
        try {
            var parsed = controllerValues.route(values[j]);
            if ((parsed.rules !== undefined) !== (parsed.error === undefined)) {
                check('rules or an error: ' + values[j], parsed, 'one of them');
            }
            answered++;
        } catch (e) {
            check('no throw on ' + values[j], e.message, 'nothing thrown');
        }
    }
    check(values.length + ' odd routes answered, none thrown', answered, values.length);

    var rendered = renderedRoutes();
    check('the golden nginx.conf has routes', rendered.length > 0, true);
    for (var k = 0; k < rendered.length; k++) {
        check('rendered route ' + k + ' parses', controllerValues.route(rendered[k]).error, undefined);
    }
    var first = controllerValues.route(rendered[0]).rules[0].backends;
    check('rendered weights', first.map(function (b) { return b.weight; }), [90, 10]);
    check('rendered backend', first[0], {weight: 90, location: '@igw_rule_0', pool: 'team-a/chat',
        picker: 'in-process', failureMode: 'FailOpen'});

    check('pool endpoint key', controllerValues.poolEndpointKey('ns/p', '127.0.10.1:8000'), 'ns/p 127.0.10.1:8000');
}

export default {run};
