// Tests of usage_scan.js and usage.js: usage read from JSON answers and SSE streams split anywhere, the injected
// usage chunk dropped and nothing else, estimates for streams without usage, hostile bodies. Run from igw_test.js.
import scan from 'usage_scan.js';
import usage from 'usage.js';

const CHAT_CHUNK = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,'
    + '"delta":{"content":"h\u00e9"},"logprobs":null,"finish_reason":null}]}\n\n';
const USAGE_CHUNK = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],'
    + '"usage":{"prompt_tokens":12,"total_tokens":15,"completion_tokens":3,"prompt_tokens_details":'
    + '{"cached_tokens":8}}}\n\n';
const DONE = 'data: [DONE]\n\n';
const STREAM = CHAT_CHUNK + CHAT_CHUNK + CHAT_CHUNK + USAGE_CHUNK + DONE;
const READ = {prompt: 12, cached: 8, completion: 3, estimated: false};

// Feeds text to a scanner cut into pieces of `size` bytes (of the UTF-8), returns [bytes out, usage].
function feed(scanner, text, size) {
    var bytes = Buffer.from(text), out = [];
    for (var i = 0; i < bytes.length; i += size) {
        out = out.concat(scanner.push(Buffer.from(bytes.slice(i, Math.min(bytes.length, i + size)))));
    }
    out = out.concat(scanner.end());
    return [Buffer.concat(out.map(function (b) { return Buffer.from(b); })).toString(), scanner.usage()];
}

function streamCases(check) {
    [1, 2, 3, 7, 64, 100000].forEach(function (size) {
        var plain = feed(scan.sse(false), STREAM, size);
        check('sse usage read, pieces of ' + size, plain[1], READ);
        check('sse bytes unchanged, pieces of ' + size, plain[0], STREAM);
        var stripped = feed(scan.sse(true), STREAM, size);
        check('strip drops only the usage chunk, pieces of ' + size, stripped[0],
            CHAT_CHUNK + CHAT_CHUNK + CHAT_CHUNK + DONE);
        check('strip still reads usage, pieces of ' + size, stripped[1], READ);
    });
    var crlf = STREAM.replace(/\n/g, '\r\n');
    var middle2 = CHAT_CHUNK + USAGE_CHUNK + CHAT_CHUNK + DONE;
    // every piece size up to a chunk and a half: each boundary falls inside a line, on its newline and between lines
    for (var size = 1; size <= 160; size++) {
        check('crlf stream stripped, pieces of ' + size, feed(scan.sse(true), crlf, size)[0],
            (CHAT_CHUNK + CHAT_CHUNK + CHAT_CHUNK + DONE).replace(/\n/g, '\r\n'));
        var cut = feed(scan.sse(true), middle2, size);
        check('mid-stream usage stripped alone, pieces of ' + size, cut[0], CHAT_CHUNK + CHAT_CHUNK + DONE);
        check('mid-stream usage read, pieces of ' + size, cut[1], READ);
        check('chunks counted, pieces of ' + size, feed(scan.sse(false), CHAT_CHUNK + CHAT_CHUNK + DONE, size)[1],
            {prompt: null, cached: null, completion: 2, estimated: true});
    }
    // a buffer of whole lines with nothing held goes out as the same object (usage.js sends it without a copy);
    // only the usage chunk's buffer is cut
    var events = [CHAT_CHUNK, CHAT_CHUNK + CHAT_CHUNK, USAGE_CHUNK, DONE];
    [true, false].forEach(function (strip) {
        var scanner = scan.sse(strip);
        var same = events.map(function (e) { var b = Buffer.from(e); return scanner.push(b) === b; });
        check('whole-line buffers pass as they are, strip ' + strip, same, [true, true, !strip, true]);
        check('whole-line buffers counted, strip ' + strip, scanner.usage(), READ);
    });
    var nullChoices = USAGE_CHUNK.replace('"choices":[]', '"choices":null');
    check('vLLM null choices stripped', feed(scan.sse(true), CHAT_CHUNK + nullChoices + DONE, 9)[0],
        CHAT_CHUNK + DONE);
    // a usage chunk in the middle of one buffer, with chunks before and after it
    var middle = CHAT_CHUNK + USAGE_CHUNK + CHAT_CHUNK + DONE;
    check('usage mid-buffer read', feed(scan.sse(false), middle, 100000)[1], READ);
    check('usage mid-buffer stripped alone', feed(scan.sse(true), middle, 100000)[0], CHAT_CHUNK + CHAT_CHUNK + DONE);
    check('only the first usage chunk is stripped', feed(scan.sse(true), USAGE_CHUNK + USAGE_CHUNK, 11)[0],
        USAGE_CHUNK);
    // continuous usage stats: usage on every chunk, the last one counts; chunks with choices are never dropped
    var continuous = CHAT_CHUNK.replace(']}\n', '],"usage":{"prompt_tokens":12,"completion_tokens":1}}\n');
    var cont = feed(scan.sse(true), continuous + continuous + USAGE_CHUNK + DONE, 13);
    check('continuous usage: content chunks kept', cont[0], continuous + continuous + DONE);
    check('continuous usage: last usage', cont[1], READ);
    // no usage: estimated from the content chunks delivered (a cut stream, or a client that asked for none)
    check('no usage estimated', feed(scan.sse(false), CHAT_CHUNK + CHAT_CHUNK + DONE, 5)[1],
        {prompt: null, cached: null, completion: 2, estimated: true});
    check('cut mid-chunk estimated', feed(scan.sse(true), CHAT_CHUNK + CHAT_CHUNK.substring(0, 40), 5),
        [CHAT_CHUNK + CHAT_CHUNK.substring(0, 40), {prompt: null, cached: null, completion: 1, estimated: true}]);
    check('empty stream estimated', feed(scan.sse(false), '', 5)[1],
        {prompt: null, cached: null, completion: 0, estimated: true});
    var comments = ': keep-alive\n\nevent: message\nid: 7\ndata: not json\n\n' + CHAT_CHUNK;
    check('comments and other fields pass, one chunk counted', feed(scan.sse(true), comments, 4),
        [comments, {prompt: null, cached: null, completion: 1, estimated: true}]);
    // malformed usage chunks: passed on, not read, never dropped
    var broken = 'data: {"choices":[],"usage":{"prompt_tokens":12,\n\n';
    check('malformed usage chunk kept', feed(scan.sse(true), broken + DONE, 6)[0], broken + DONE);
    var negative = 'data: {"choices":[],"usage":{"prompt_tokens":-1,"completion_tokens":"3"}}\n\n';
    check('usage without valid counts kept and not read', feed(scan.sse(true), negative, 6),
        [negative, {prompt: null, cached: null, completion: 1, estimated: true}]);
    // a line longer than MAX_LINE passes as it came (never held whole) and is still read for usage
    var huge = 'data: {"type":"response.completed","response":{"output":"' + 'x'.repeat(scan.MAX_LINE * 2)
        + '","usage":{"input_tokens":30,"input_tokens_details":{"cached_tokens":16},"output_tokens":9,'
        + '"output_tokens_details":{"reasoning_tokens":0},"total_tokens":39},"user":null}}\n\n';
    var long = feed(scan.sse(true), huge + DONE, 4096);
    check('huge line passes unchanged', long[0] === huge + DONE, true);
    check('huge line read for responses usage', long[1], {prompt: 30, cached: 16, completion: 9, estimated: false});
}

function responsesCases(check) {
    var events = 'event: response.created\ndata: {"type":"response.created","response":{"id":"r","usage":null}}\n\n'
        + 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"a"}\n\n'
        + 'event: response.completed\ndata: {"type":"response.completed","response":{"id":"r","output":[],'
        + '"usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":0},"output_tokens":1,'
        + '"total_tokens":6}}}\n\n';
    var read = feed(scan.sse(true), events, 17);
    check('responses stream unchanged (never stripped: no choices)', read[0], events);
    check('responses stream usage', read[1], {prompt: 5, cached: 0, completion: 1, estimated: false});
}

function jsonCases(check) {
    var chat = '{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",'
        + '"content":"the \\"usage\\": {\\"prompt_tokens\\": 99} is text"}}],"usage":{"prompt_tokens":7,'
        + '"total_tokens":10,"completion_tokens":3,"prompt_tokens_details":null},"prompt_logprobs":null}';
    [1, 5, 100000].forEach(function (size) {
        var read = feed(scan.json(), chat, size);
        check('json usage, pieces of ' + size, read[1], {prompt: 7, cached: null, completion: 3, estimated: false});
        check('json unchanged, pieces of ' + size, read[0], chat);
    });
    var embeddings = '{"object":"list","data":[{"object":"embedding","embedding":[0.1,0.2],"index":0}],'
        + '"model":"m","usage":{"prompt_tokens":4,"total_tokens":4}}';
    check('embeddings usage', feed(scan.json(), embeddings, 8)[1],
        {prompt: 4, cached: null, completion: null, estimated: false});
    var responses = '{"id":"r","object":"response","output":[{"type":"message","content":[{"type":"output_text",'
        + '"text":"hi"}]}],"usage":{"input_tokens":11,"input_tokens_details":{"cached_tokens":4},"output_tokens":2,'
        + '"output_tokens_details":{"reasoning_tokens":0},"total_tokens":13},"user":null}';
    check('responses usage', feed(scan.json(), responses, 3)[1],
        {prompt: 11, cached: 4, completion: 2, estimated: false});
    check('no usage', feed(scan.json(), '{"error":{"message":"x"}}', 3)[1], null);
    check('empty body', feed(scan.json(), '', 3)[1], null);
    check('malformed json', feed(scan.json(), '{"usage":{"prompt_tokens":3,', 2)[1], null);
    check('usage a string value, then the real one', feed(scan.json(),
        '{"usage":{"prompt_tokens":1,"completion_tokens":2},"x":"usage","y":["usage"]}', 4)[1],
    {prompt: 1, cached: null, completion: 2, estimated: false});
    check('usage not an object', feed(scan.json(), '{"usage":[1,2]}', 4)[1], null);
    check('counts too big are absent', scan.tokens({prompt_tokens: 1e13, completion_tokens: 2.5}), null);
    // a huge answer: only its tail is kept, and the usage at its end is still read
    var big = '{"data":[' + '"0123456789",'.repeat(200000) + '"x"],"usage":{"prompt_tokens":2,"total_tokens":2}}';
    var scanner = scan.json();
    var bytes = Buffer.from(big);
    for (var i = 0; i < bytes.length; i += 8192) {
        scanner.push(bytes.slice(i, i + 8192));
    }
    check('huge json keeps a bounded tail', scanner.bytes <= scan.JSON_TAIL + 8192, true);
    check('huge json usage', scanner.usage(), {prompt: 2, cached: null, completion: null, estimated: false});
    var many = '{"a":"' + '"usage"'.replace(/"/g, '\\"').repeat(3000) + '"}';
    check('many escaped usage strings: none read', feed(scan.json(), many, 1000)[1], null);
}

// usage.js through a fake body-filter request: buffers go out through r.sendBuffer, the variables read the result.
function filterCases(check) {
    var sent = [];
    var r = {headersOut: {'Content-Type': 'text/event-stream; charset=utf-8'}, variables: {igw_strip_usage: '1'},
        uri: '/v1/chat/completions', warn: function () {},
        sendBuffer: function (data, options) { sent.push([String(data), options.last, options.flush]); }};
    var bytes = Buffer.from(STREAM);
    usage.filter(r, bytes.slice(0, 200), {last: false});
    usage.filter(r, bytes.slice(200), {last: false});
    usage.filter(r, Buffer.from(''), {last: true});
    check('filter strips the injected chunk', sent.map(function (s) { return s[0]; }).join(''),
        CHAT_CHUNK + CHAT_CHUNK + CHAT_CHUNK + DONE);
    check('filter flushes every buffer', sent.every(function (s) { return s[2] === true; }), true);
    check('filter ends with last', sent[sent.length - 1][1], true);
    check('variables', [usage.prompt(r), usage.cached(r), usage.completion(r), usage.estimated(r)],
        ['12', '8', '3', '']);
}

function run(check) {
    streamCases(check);
    responsesCases(check);
    jsonCases(check);
    filterCases(check);
}

export default {run};
