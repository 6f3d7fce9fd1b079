package io.igw.simulator.tokens;

/** One message of a chat request, its content already flattened to text. */
public record ChatMessage(String role, String content) {}
