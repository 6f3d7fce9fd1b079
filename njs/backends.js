// The weighted backends of a rule ($igw_route, read by controller_values.js): {weight, location, pool, picker,
// failureMode}, or only {weight} when the backendRef did not resolve (its share of requests gets a 500).

// Weighted choice; r01 is a number in [0, 1). Null when every weight is 0 (or there is no backend).
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

export default {choose};
