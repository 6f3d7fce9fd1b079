package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a {@link DataProducer} is given of a request before it is scheduled.
 *
 * @param path the request's path ({@code /v1/chat/completions}, …)
 * @param chat whether the body is a chat ({@code messages}) rather than a completion ({@code
 *     prompt})
 * @param body the client's body, already checked, as a tree built when first asked for (the pick
 *     itself reads only {@code promptBytes}); producers must not change it
 * @param targetModel the model after any rewrite (null when absent)
 * @param promptBytes the prompt's text as prefix caching hashes it (see {@link SchedulingRequest})
 * @param endpoints the pool's live endpoints serving the model
 */
public record ProduceRequest(
    String path,
    boolean chat,
    Supplier<JsonObject> body,
    String targetModel,
    PromptBytes promptBytes,
    List<EndpointState> endpoints) {}
