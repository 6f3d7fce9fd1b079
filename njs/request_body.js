// Reads the model from an OpenAI request body. A bodyless request (plain GET) has no model and is still
// routed; anything else must be a JSON object whose "model", when present, is a string, sent as JSON: with another
// content type the model server would not read it as JSON (vLLM refuses it), so the gateway must not route by it.

// application/json or application/<x>+json, parameters allowed; no content type at all is read as JSON too.
const JSON_TYPE = /^\s*application\/([a-z0-9.!#$%&'*^_`|~-]+\+)?json\s*(;.*)?$/i;

function parse(text, contentType) {
    if (text === undefined || text === null || text.length === 0) {
        return {model: null};
    }
    if (contentType !== undefined && contentType !== null && contentType.trim().length > 0
        && !JSON_TYPE.test(contentType)) {
        return {error: 'the request body must be sent as application/json', code: 'unsupported_media_type',
            status: 415};
    }
    var body;
    try {
        body = JSON.parse(text);
    } catch (e) {
        return {error: 'request body is not valid JSON', code: 'invalid_json'};
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return {error: 'request body must be a JSON object', code: 'invalid_body'};
    }
    if (body.model === undefined) {
        return {model: null};
    }
    if (typeof body.model !== 'string') {
        return {error: "'model' must be a string", code: 'invalid_model'};
    }
    if (body.model.length === 0) {
        return {error: "'model' must not be empty", code: 'invalid_model'};
    }
    return {model: body.model};
}

export default {parse};
