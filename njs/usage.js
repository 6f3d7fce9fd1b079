// Token usage of each answer, read as it passes to the client (docs/njs-contract.md, "Token usage"):
// js_body_filter usage.filter on the model-server locations passes every buffer on unchanged (or, when the picker
// added stream_options.include_usage for the gateway's own accounting, drops the one usage chunk the client did not
// ask for), and the js_set variables $igw_usage_* give the completion record what was found. njs gives each
// request its own VM, so this module's state is the request's.

import scan from 'usage_scan.js';

// sendBuffer options, made once: an object literal per buffer costs as much as a quarter of the filter's own work
const MORE = {last: false, flush: true};
const LAST = {last: true, flush: true};

var scanner = null;
var started = false;
var result;

// $igw_strip_usage ("1"): set by igw.js from the picker's x-igw-strip-usage answer header.
function begin(r) {
    started = true;
    var encoding = r.headersOut['Content-Encoding'];
    if (encoding !== undefined && encoding !== '' && encoding.toLowerCase() !== 'identity') {
        return;
    }
    var type = (r.headersOut['Content-Type'] || '').toLowerCase();
    if (type.indexOf('text/event-stream') !== 0) {
        scanner = scan.json();
        return;
    }
    var strip = r.variables.igw_strip_usage === '1';
    if (strip && r.headersOut['Content-Length'] !== undefined) {
        // a stream with a declared length cannot lose a chunk: the client gets the usage chunk too
        r.warn('igw: event=usage_chunk_kept reason=content_length uri=' + JSON.stringify(r.uri));
        strip = false;
    }
    scanner = scan.sse(strip);
}

function filter(r, data, flags) {
    if (!started) {
        begin(r);
    }
    if (scanner === null) {
        r.sendBuffer(data, flags.last ? LAST : MORE);
        return;
    }
    var out = scanner.push(data);
    if (out === data) {
        if (!flags.last) {
            r.sendBuffer(data, MORE);
            return;
        }
        out = [data];
    }
    if (flags.last) {
        out = out.concat(scanner.end());
    }
    if (out.length === 0 && flags.last) {
        out.push('');
    }
    for (var i = 0; i < out.length; i++) {
        r.sendBuffer(out[i], flags.last && i === out.length - 1 ? LAST : MORE);
    }
}

function usage() {
    if (result === undefined) {
        result = scanner === null ? null : scanner.usage();
    }
    return result;
}

function field(name) {
    var u = usage();
    return u === null || u[name] === null ? '' : String(u[name]);
}

function prompt(r) {
    return field('prompt');
}

function cached(r) {
    return field('cached');
}

function completion(r) {
    return field('completion');
}

function estimated(r) {
    var u = usage();
    return u !== null && u.estimated ? '1' : '';
}

export default {filter, prompt, cached, completion, estimated};
