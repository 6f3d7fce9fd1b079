// Finds the token usage of a model server's answer in the bytes passing to the client (docs/njs-contract.md,
// "Token usage"). Pure: no request object; usage.js feeds it. Two scanners:
// - sse(strip): server-sent events. Counts content chunks, reads the usage chunk (chat / completions: a chunk with
//   a usage object; Responses API: the usage of response.completed). With strip, drops exactly the first chunk
//   whose choices are empty or null and that holds a usage object, and the blank line after it (the chunk the
//   gateway asked for with stream_options.include_usage); every other byte goes out as it came.
// - json(): one JSON answer. Keeps only its last JSON_TAIL bytes and reads the last "usage": {...} member in
//   them: OpenAI and vLLM write the top-level usage after choices / data / output, and what follows it holds no
//   usage member (see the contract for the one case it misses).
// Buffers from NGINX may be reused once passed on: whatever is kept is copied.

const USAGE_KEY = Buffer.from('"usage"');
// Longest SSE line held or parsed at once; a longer one is read for usage the way a JSON answer is.
const MAX_LINE = 16384;
const JSON_TAIL = 16384;
const MAX_COUNT = 1e12;
const MAX_CLOSE_TRIES = 8;
const LF = 10, CR = 13, SPACE = 32, TAB = 9, COLON = 58, OPEN = 123, CLOSE = 125, BRACKET_CLOSE = 93;

function count(v) {
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_COUNT ? v : null;
}

// {prompt, cached, completion, estimated} of a usage object (chat, completions and embeddings name them
// prompt_tokens / completion_tokens, the Responses API input_tokens / output_tokens); null without either count.
function tokens(u) {
    if (u === null || typeof u !== 'object' || Array.isArray(u)) {
        return null;
    }
    var prompt = count(u.prompt_tokens), completion = count(u.completion_tokens), details = u.prompt_tokens_details;
    if (prompt === null && completion === null) {
        prompt = count(u.input_tokens);
        completion = count(u.output_tokens);
        details = u.input_tokens_details;
    }
    if (prompt === null && completion === null) {
        return null;
    }
    var cached = details !== null && typeof details === 'object' ? count(details.cached_tokens) : null;
    return {prompt: prompt, cached: cached, completion: completion, estimated: false};
}

function isSpace(b) {
    return b === SPACE || b === TAB || b === LF || b === CR;
}

// The object of the member whose key starts at `at` ("usage"), or null when it holds no JSON object.
function objectAt(buf, at) {
    var p = at + USAGE_KEY.length;
    while (p < buf.length && isSpace(buf[p])) {
        p++;
    }
    if (buf[p] !== COLON) {
        return null;
    }
    p++;
    while (p < buf.length && isSpace(buf[p])) {
        p++;
    }
    if (buf[p] !== OPEN) {
        return null;
    }
    // the usage object is small and nests at most one level: try each closing brace until one parses
    var close = p;
    for (var i = 0; i < MAX_CLOSE_TRIES; i++) {
        close = buf.indexOf(CLOSE, close + 1);
        if (close < 0) {
            return null;
        }
        try {
            return JSON.parse(buf.toString('utf8', p, close + 1));
        } catch (e) {
            // not balanced yet
        }
    }
    return null;
}

// The last usage member of buf that holds token counts, or null.
function lastUsage(buf) {
    var at = buf.length;
    for (var tries = 0; tries < MAX_CLOSE_TRIES && at > 0; tries++) {
        at = buf.lastIndexOf(USAGE_KEY, at - 1);
        if (at < 0) {
            return null;
        }
        var t = tokens(objectAt(buf, at));
        if (t !== null) {
            return t;
        }
    }
    return null;
}

function JsonScan() {
    this.parts = [];
    this.bytes = 0;
}

JsonScan.prototype.push = function (buf) {
    if (buf.length === 0) {
        return [buf];
    }
    this.parts.push(Buffer.from(buf));
    this.bytes += buf.length;
    while (this.bytes - this.parts[0].length >= JSON_TAIL) {
        this.bytes -= this.parts.shift().length;
    }
    return [buf];
};

JsonScan.prototype.end = function () {
    return [];
};

JsonScan.prototype.usage = function () {
    return this.parts.length === 0 ? null : lastUsage(Buffer.concat(this.parts));
};

function SseScan(strip) {
    this.strip = strip;
    this.held = [];
    this.heldBytes = 0;
    this.long = null;
    this.chunks = 0;
    this.found = null;
    this.stripped = false;
    this.dropBlank = false;
    // the pieces lines() cut before a dropped line, made only when one is dropped
    this.cut = null;
}

// What to send for this buffer: buf itself when it goes out whole (always without strip), else the array of its
// pieces: with strip the complete lines it ends (an incomplete last line waits for its end, held in a copy). The
// line the held bytes begin is read on its own, the complete lines after it (all of them when nothing is held) by
// lines().
SseScan.prototype.push = function (buf) {
    if (this.heldBytes === 0 && this.long === null && buf[buf.length - 1] === LF) {
        // the common buffer, one event or more, whole lines and nothing held: read with the fewest calls (each
        // costs njs about as much as reading the line)
        if (!this.strip) {
            this.lines(buf, 0, buf.length - 1, 0);
            return buf;
        }
        var from = this.lines(buf, 0, buf.length - 1, 0);
        if (from === 0) {
            return buf;
        }
        var pieces = this.takeCut();
        if (from < buf.length) {
            pieces.push(buf.slice(from));
        }
        return pieces;
    }
    var out = this.strip ? [] : [buf];
    var pos = 0, emit = 0;
    var nl = buf.indexOf(LF);
    if (nl >= 0 && this.long === null && this.heldBytes === 0) {
        // nothing held: every complete line is read by lines()
        var lastLf = buf.lastIndexOf(LF);
        emit = this.lines(buf, 0, lastLf, 0);
        out = this.cut === null ? out : out.concat(this.takeCut());
        pos = lastLf + 1;
    } else if (nl >= 0) {
        if (this.long !== null) {
            this.long.push(buf.slice(0, nl));
            this.endLongLine();
        } else {
            var joined = this.heldBytes > 0;
            var line = joined ? Buffer.concat(this.held.concat([buf.slice(0, nl)])) : buf;
            var drop = joined ? this.line(line, 0, line.length) : this.line(buf, 0, nl);
            if (this.strip && drop) {
                emit = nl + 1;
            } else if (this.strip && joined) {
                out = out.concat(this.held);
            }
            this.held = [];
            this.heldBytes = 0;
        }
        pos = nl + 1;
        var last = buf.lastIndexOf(LF);
        if (last > nl) {
            emit = this.lines(buf, pos, last, emit);
            out = this.cut === null ? out : out.concat(this.takeCut());
            pos = last + 1;
        }
    }
    var sent = buf.length;
    if (pos < buf.length) {
        var rest = buf.slice(pos);
        if (this.long !== null) {
            this.long.push(rest);
        } else if (this.heldBytes + rest.length > MAX_LINE) {
            // too long for the usage chunk to strip: it passes, and is read for usage like a JSON answer
            this.long = new JsonScan();
            for (var i = 0; i < this.held.length; i++) {
                this.long.push(this.held[i]);
            }
            this.long.push(rest);
            if (this.strip) {
                out = out.concat(this.held);
            }
            this.held = [];
            this.heldBytes = 0;
        } else {
            this.held.push(Buffer.from(rest));
            this.heldBytes += rest.length;
            sent = pos;
        }
    }
    if (this.strip && sent > emit) {
        out.push(emit === 0 && sent === buf.length ? buf : buf.slice(emit, sent));
    }
    return out;
};

// The complete lines buf[a, b] (a starts a line, b is the newline of the last one), each read as line() reads it,
// with the two common lines decided inline (no call): a blank line, and a content chunk ("data:" and a JSON object
// whose last member is an array: no usage). Returns where the bytes still to send begin (with strip, a dropped
// usage chunk and its blank line are cut out, the bytes before them kept in this.cut for takeCut()).
SseScan.prototype.lines = function (buf, a, b, emit) {
    var s = a;
    while (s <= b) {
        var e = buf.indexOf(LF, s);
        var end = e > s && buf[e - 1] === CR ? e - 1 : e;
        if (end === s) {
            if (this.dropBlank) {
                this.dropBlank = false;
                if (emit === s) {
                    emit = e + 1;
                }
            }
        } else if (buf[end - 1] === CLOSE && buf[end - 2] === BRACKET_CLOSE && end - s >= 7 && buf[s + 4] === COLON
            && buf[s] === 100 && buf[s + 1] === 97 && buf[s + 2] === 116 && buf[s + 3] === 97
            && buf[buf[s + 5] === SPACE ? s + 6 : s + 5] === OPEN) {
            // a content chunk: "data:", an optional space, a JSON object ending in an array (isChunk, inline)
            this.dropBlank = false;
            this.chunks++;
            if (buf[e + 1] === LF) {
                // the blank line that ends the event (never past b: b is the last newline)
                e++;
            }
        } else if (this.line(buf, s, e) && this.strip) {
            if (s > emit) {
                (this.cut === null ? (this.cut = []) : this.cut).push(buf.slice(emit, s));
            }
            emit = e + 1;
        }
        s = e + 1;
    }
    return emit;
};

SseScan.prototype.takeCut = function () {
    var cut = this.cut === null ? [] : this.cut;
    this.cut = null;
    return cut;
};

// The stream's end: a last line without its newline goes out as it is.
SseScan.prototype.end = function () {
    if (this.long !== null) {
        this.endLongLine();
    }
    var out = this.strip ? this.held : [];
    this.held = [];
    this.heldBytes = 0;
    return out;
};

SseScan.prototype.endLongLine = function () {
    var t = this.long.usage();
    if (t !== null) {
        this.found = t;
    }
    this.long = null;
};

// Reads one line (buf[s, e), without its newline); true when it is to be dropped.
SseScan.prototype.line = function (buf, s, e) {
    if (e > s && buf[e - 1] === CR) {
        e--;
    }
    if (e === s) {
        var blank = this.dropBlank;
        this.dropBlank = false;
        return blank;
    }
    this.dropBlank = false;
    // "data:" then an optional space, then a JSON object; anything else (event:, id:, comments, [DONE]) is not a
    // chunk
    if (e - s < 7 || buf[s] !== 100 || buf[s + 1] !== 97 || buf[s + 2] !== 116 || buf[s + 3] !== 97
        || buf[s + 4] !== COLON) {
        return false;
    }
    var j = buf[s + 5] === SPACE ? s + 6 : s + 5;
    if (buf[j] !== OPEN) {
        return false;
    }
    // a chunk whose last member is an array (choices) holds no usage: servers write usage after choices
    if (buf[e - 1] === CLOSE && buf[e - 2] === BRACKET_CLOSE) {
        this.chunks++;
        return false;
    }
    var at = buf.indexOf(USAGE_KEY, j);
    if (at < 0 || at >= e) {
        this.chunks++;
        return false;
    }
    var chunk;
    try {
        chunk = JSON.parse(buf.toString('utf8', j, e));
    } catch (err) {
        return false;
    }
    if (chunk === null || typeof chunk !== 'object') {
        return false;
    }
    var t = tokens(chunk.usage);
    if (t === null && chunk.response !== null && typeof chunk.response === 'object') {
        t = tokens(chunk.response.usage);
    }
    if (t !== null) {
        this.found = t;
    }
    var usageOnly = t !== null && 'choices' in chunk
        && (chunk.choices === null || (Array.isArray(chunk.choices) && chunk.choices.length === 0));
    if (!usageOnly) {
        this.chunks++;
        return false;
    }
    if (this.strip && !this.stripped) {
        this.stripped = true;
        this.dropBlank = true;
        return true;
    }
    return false;
};

// The usage the stream reported, else what it delivered: its content chunks, estimated.
SseScan.prototype.usage = function () {
    if (this.found !== null) {
        return this.found;
    }
    return {prompt: null, cached: null, completion: this.chunks, estimated: true};
};

function sse(strip) {
    return new SseScan(strip === true);
}

function json() {
    return new JsonScan();
}

export default {sse, json, tokens, MAX_LINE, JSON_TAIL};
