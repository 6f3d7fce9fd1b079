// Rules that share a path but also match on method, headers or query parameters: the controller renders
// them into $igw_matches as a JSON list, most specific first; the first candidate whose conditions all hold
// serves the request.

function holds(r, candidate) {
    if (candidate.method && candidate.method !== r.method) {
        return false;
    }
    var headers = candidate.headers || {};
    for (var name in headers) {
        if (r.headersIn[name] !== headers[name]) {
            return false;
        }
    }
    var query = candidate.query || {};
    for (var key in query) {
        if (r.args[key] !== query[key]) {
            return false;
        }
    }
    return true;
}

// The first candidate that holds, null when none does, undefined when the table is unreadable.
function choose(r, text) {
    var table;
    try {
        table = JSON.parse(text);
    } catch (e) {
        return undefined;
    }
    if (!Array.isArray(table)) {
        return undefined;
    }
    for (var i = 0; i < table.length; i++) {
        if (holds(r, table[i])) {
            return table[i];
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
