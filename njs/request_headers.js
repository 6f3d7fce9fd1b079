// Checks the client's request headers before anything is forwarded. NGINX passes a header value with a control
// character on; the picker's HTTP server (and many model servers) refuse such a request outright, and a refusal
// that is not the picker's own answer would read as "picker unavailable" and fail the pool open. So such a request
// is the client's error: 400, and nothing is forwarded.

// RFC 9110 field values: visible characters, obs-text, space and horizontal tab; no other control character.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

// The name of the first header whose value has a control character, or null. rawHeaders: njs's r.rawHeadersIn,
// [[name, value], ...].
function invalidHeader(rawHeaders) {
    if (!rawHeaders) {
        return null;
    }
    for (var i = 0; i < rawHeaders.length; i++) {
        var value = rawHeaders[i][1];
        if (typeof value === 'string' && CONTROL.test(value)) {
            return String(rawHeaders[i][0]).replace(/[^A-Za-z0-9-]/g, '?').substring(0, 64);
        }
    }
    return null;
}

export default {invalidHeader};
