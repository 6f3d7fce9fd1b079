package io.igw.picker.scheduling;

/**
 * The request's prompt as the engine tokenizes it ({@code token-producer}).
 *
 * @param tokenIds the token ids, chat template applied
 * @param complete false when only a leading part of the prompt is known (a cached shared prefix):
 *     its blocks are exact, the rest of the prompt was not tokenized
 * @param source where the ids came from ({@code render}, {@code render-cache}, {@code local}), for
 *     logs and tests
 */
public record TokenizedPrompt(int[] tokenIds, boolean complete, String source) {}
