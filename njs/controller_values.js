// The values the controller renders for njs (docs/njs-contract.md), read in this one module:
// - $igw_route: the rules of a location, JSON {"version":1,"rules":[...]}; route() checks every field and returns
//   {rules} or {error} (a description of the first problem), never throws;
// - the key of the $igw_pick_check -> $igw_pick_allowed map: "<pool> <ip:port>".

const ROUTE_VERSION = 1;
const PICKERS = ['in-process', 'bridge', 'unavailable'];
const FAILURE_MODES = ['FailOpen', 'FailClose'];
const REDIRECT_STATUSES = [301, 302];

function isObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isCount(v) {
    return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function allStrings(v) {
    for (var k in v) {
        if (typeof v[k] !== 'string') {
            return false;
        }
    }
    return true;
}

function whenProblem(when) {
    if (!isObject(when)) {
        return 'when must be an object';
    }
    if (when.method !== undefined && typeof when.method !== 'string') {
        return 'when.method must be a string';
    }
    var maps = ['headers', 'query'];
    for (var i = 0; i < maps.length; i++) {
        var map = when[maps[i]];
        if (map !== undefined && (!isObject(map) || !allStrings(map))) {
            return 'when.' + maps[i] + ' must map names to strings';
        }
    }
    return null;
}

function backendProblem(b) {
    if (!isObject(b) || !isCount(b.weight)) {
        return 'weight must be a non-negative integer';
    }
    if (b.location === undefined) {
        return null;
    }
    if (typeof b.location !== 'string' || b.location.charAt(0) !== '@' || b.location.length < 2) {
        return 'location must name a named location (@...)';
    }
    if (typeof b.pool !== 'string' || b.pool.length === 0) {
        return 'pool must be "namespace/name"';
    }
    if (PICKERS.indexOf(b.picker) < 0) {
        return 'picker must be one of ' + PICKERS.join(', ');
    }
    if (FAILURE_MODES.indexOf(b.failureMode) < 0) {
        return 'failureMode must be FailOpen or FailClose';
    }
    return null;
}

function redirectProblem(d) {
    if (!isObject(d) || REDIRECT_STATUSES.indexOf(d.status) < 0) {
        return 'redirect.status must be 301 or 302';
    }
    var parts = ['scheme', 'host', 'path'];
    for (var i = 0; i < parts.length; i++) {
        if (d[parts[i]] !== undefined && typeof d[parts[i]] !== 'string') {
            return 'redirect.' + parts[i] + ' must be a string';
        }
    }
    if (d.port !== undefined && !(isCount(d.port) && d.port >= 1 && d.port <= 65535)) {
        return 'redirect.port must be a port number';
    }
    return null;
}

function ruleProblem(rule) {
    if (!isObject(rule)) {
        return 'must be an object';
    }
    var problem = rule.when === undefined ? null : whenProblem(rule.when);
    if (problem !== null) {
        return problem;
    }
    if ((rule.backends === undefined) === (rule.redirect === undefined)) {
        return 'must have either backends or a redirect';
    }
    if (rule.redirect !== undefined) {
        return redirectProblem(rule.redirect);
    }
    if (!Array.isArray(rule.backends)) {
        return 'backends must be a list';
    }
    for (var i = 0; i < rule.backends.length; i++) {
        problem = backendProblem(rule.backends[i]);
        if (problem !== null) {
            return 'backends[' + i + ']: ' + problem;
        }
    }
    return null;
}

// $igw_route -> {rules: [...]} or {error: '...'}.
function route(text) {
    if (typeof text !== 'string' || text.length === 0) {
        return {error: '$igw_route is not set in this location'};
    }
    var value;
    try {
        value = JSON.parse(text);
    } catch (e) {
        return {error: '$igw_route is not JSON'};
    }
    if (!isObject(value) || value.version !== ROUTE_VERSION) {
        return {error: '$igw_route must be an object with version ' + ROUTE_VERSION};
    }
    if (!Array.isArray(value.rules) || value.rules.length === 0) {
        return {error: '$igw_route.rules must be a non-empty list'};
    }
    for (var i = 0; i < value.rules.length; i++) {
        var problem = ruleProblem(value.rules[i]);
        if (problem !== null) {
            return {error: '$igw_route.rules[' + i + ']: ' + problem};
        }
    }
    return {rules: value.rules};
}

function poolEndpointKey(pool, endpoint) {
    return pool + ' ' + endpoint;
}

export default {route, poolEndpointKey, ROUTE_VERSION};
