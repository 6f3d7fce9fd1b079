// Reads the model from an OpenAI request body. A bodyless request (plain GET) has no model and is still
// routed; anything else must be a JSON object whose "model", when present, is a string.

function parse(text) {
    if (text === undefined || text === null || text.length === 0) {
        return {model: null};
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
