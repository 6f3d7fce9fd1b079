package io.igw.simulator.engine;

/**
 * How a request ended, for the response's usage block.
 *
 * @param cachedTokens prompt tokens found in the prefix cache
 */
public record GenerationResult(
    int promptTokens, int completionTokens, int cachedTokens, String finishReason) {}
