// The static backend's streamed completion (the overhead test): vLLM's SSE shape, fixed bytes (no ids or
// timestamps that vary), CONTENT_CHUNKS content chunks as separate writes (postpone_output 0 in its location), a
// finish chunk, the usage chunk only when the request asked for it (stream_options.include_usage true, as vLLM),
// then [DONE].

var CONTENT_CHUNKS = 500;
var PROMPT_TOKENS = 3;

function head(model) {
    return 'data: {"id":"cmpl-static","object":"text_completion","created":0,"model":' + JSON.stringify(model);
}

function includesUsage(r) {
    try {
        var options = JSON.parse(r.requestText || '{}').stream_options;
        return options !== null && typeof options === 'object' && options.include_usage === true;
    } catch (e) {
        return false;
    }
}

function completion(r) {
    var model = r.variables.bench_model;
    if (!model) {
        r.error('bench: event=static_stream_failed reason=no_bench_model');
        r.return(500);
        return;
    }
    var start = head(model);
    var content = start + ',"choices":[{"index":0,"text":" tok","logprobs":null,"finish_reason":null,'
        + '"stop_reason":null}]}\n\n';
    r.status = 200;
    r.headersOut['Content-Type'] = 'text/event-stream; charset=utf-8';
    r.headersOut['Cache-Control'] = 'no-cache';
    r.sendHeader();
    for (var i = 0; i < CONTENT_CHUNKS; i++) {
        r.send(content);
    }
    r.send(start + ',"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"length",'
        + '"stop_reason":null}]}\n\n');
    if (includesUsage(r)) {
        r.send(start + ',"choices":[],"usage":{"prompt_tokens":' + PROMPT_TOKENS + ',"total_tokens":'
            + (PROMPT_TOKENS + CONTENT_CHUNKS) + ',"completion_tokens":' + CONTENT_CHUNKS
            + ',"prompt_tokens_details":null}}\n\n');
    }
    r.send('data: [DONE]\n\n');
    r.finish();
}

export default {completion};
