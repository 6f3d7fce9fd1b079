// The backends of a route rule, rendered by the controller into $igw_backends:
// "weight location failureMode pool picker" entries joined by ",". location "-" means the backendRef did
// not resolve (its share of requests gets a 500); picker "unavailable" means the pool's endpoint picker
// reference could not be resolved (FailOpen / FailClose decide).

function parse(text) {
    if (typeof text !== 'string' || text.length === 0) {
        return null;
    }
    var out = [];
    var items = text.split(',');
    for (var i = 0; i < items.length; i++) {
        var f = items[i].trim().split(' ');
        if (f.length !== 5 || !/^\d+$/.test(f[0])) {
            return null;
        }
        out.push({weight: +f[0], location: f[1], failureMode: f[2], pool: f[3], picker: f[4]});
    }
    return out;
}

// Weighted choice; r01 is a number in [0, 1). Null when every weight is 0.
function choose(backends, r01) {
    var total = 0;
    for (var i = 0; i < backends.length; i++) {
        total += backends[i].weight;
    }
    if (total <= 0) {
        return null;
    }
    var x = r01 * total;
    for (var j = 0; j < backends.length; j++) {
        x -= backends[j].weight;
        if (x < 0) {
            return backends[j];
        }
    }
    return backends[backends.length - 1];
}

export default {parse, choose};
