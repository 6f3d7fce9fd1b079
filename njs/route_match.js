// The rules of a location ($igw_route, read by controller_values.js), most specific first: the first whose
// conditions ("when": method, exact header and query-parameter values) all hold serves the request.

function holds(r, when) {
    if (when === undefined) {
        return true;
    }
    if (when.method && when.method !== r.method) {
        return false;
    }
    var headers = when.headers || {};
    for (var name in headers) {
        if (r.headersIn[name] !== headers[name]) {
            return false;
        }
    }
    var query = when.query || {};
    for (var key in query) {
        if (r.args[key] !== query[key]) {
            return false;
        }
    }
    return true;
}

// The first rule that holds, null when none does.
function choose(r, rules) {
    for (var i = 0; i < rules.length; i++) {
        if (holds(r, rules[i].when)) {
            return rules[i];
        }
    }
    return null;
}

// The Location of a RequestRedirect filter; unset parts keep the request's own.
function redirectUrl(r, redirect) {
    var scheme = redirect.scheme || r.variables.scheme;
    var host = redirect.host || r.variables.host;
    var port = redirect.port ? ':' + redirect.port : '';
    var path = redirect.path || r.variables.request_uri;
    return scheme + '://' + host + port + path;
}

export default {choose, holds, redirectUrl};
