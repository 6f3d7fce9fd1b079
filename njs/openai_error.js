// OpenAI-style error answers: {"error":{"message","type","param","code"}} with the matching HTTP status. Every error
// njs answers goes through this module: send() writes one, forward() passes on one the picker wrote.

const TYPES = {
    400: 'invalid_request_error',
    404: 'invalid_request_error',
    413: 'invalid_request_error',
    429: 'rate_limit_exceeded',
    500: 'server_error',
    502: 'server_error',
    503: 'server_error',
    504: 'server_error'
};

function body(status, message, code) {
    return JSON.stringify({
        error: {message: message, type: TYPES[status] || 'server_error', param: null, code: code || null}
    });
}

function send(r, status, message, code) {
    forward(r, status, body(status, message, code));
}

// An error the picker answered, already an OpenAI error body (igw.js checks it is one).
function forward(r, status, openAiBody) {
    r.headersOut['Content-Type'] = 'application/json';
    r.return(status, openAiBody);
}

export default {body, send, forward};
