/**
 * Workloads: request sequences (arrival time, model, prompt, output length, objective) that every
 * policy replays identically. Prompts are seeded segments rendered to text on demand, so a sequence
 * costs little memory; a JSONL trace file carries a user's own traffic.
 */
package io.igw.bench.workload;
