// The picker's rate-limit headers (TokenRateLimitPolicy, docs/rate-limits.md) onto the client's response: OpenAI's
// x-ratelimit-* trios and, on a refusal, retry-after. A refusal is answered by njs itself (toResponse); an admitted
// request is proxied, so its values go into js_vars that nginx.conf adds with add_header ... always (toVariables).
// Only these names, and only values of the picker's formats (digits, Go durations), are taken.

const NAMES = [
    'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests',
    'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'
];
const RETRY_AFTER = 'retry-after';
const VALUE = /^[0-9][0-9hms.]{0,31}$/;

function valueOf(headers, name) {
    var value = headers[name];
    return typeof value === 'string' && VALUE.test(value) ? value : null;
}

// On an answer njs writes itself (the picker's 429 or 503 passed on).
function toResponse(r, headers) {
    var names = NAMES.concat([RETRY_AFTER]);
    for (var i = 0; i < names.length; i++) {
        var value = valueOf(headers, names[i]);
        if (value !== null) {
            r.headersOut[names[i]] = value;
        }
    }
}

// On a proxied answer: $igw_ratelimit_<limit|remaining|reset>_<requests|tokens>. False when nginx.conf does not
// declare them (a controller older than these scripts), which igw.js logs.
function toVariables(r, headers) {
    for (var i = 0; i < NAMES.length; i++) {
        var value = valueOf(headers, NAMES[i]);
        if (value === null) {
            continue;
        }
        try {
            r.variables['igw_' + NAMES[i].substring(2).replace(/-/g, '_')] = value;
        } catch (e) {
            return false;
        }
    }
    return true;
}

export default {NAMES, toResponse, toVariables};
