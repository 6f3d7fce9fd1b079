package io.igw.picker.tokens;

/** One chat message as a template lays it out: its role and its content flattened to text. */
public record ChatMessage(String role, String content) {}
