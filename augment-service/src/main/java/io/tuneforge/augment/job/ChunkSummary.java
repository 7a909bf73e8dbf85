package io.tuneforge.augment.job;

import io.tuneforge.augment.llm.CallCounts;

/**
 * A finished chunk: source records {@code [from, to)} and what they gave.
 *
 * @param key      its chunk file
 * @param slots    generation slots (records × slots per record)
 * @param accepted generations that passed the gate
 * @param rejected generations the gate rejected
 * @param failed   slots without an answer
 * @param calls    what the chunk's completions cost
 */
public record ChunkSummary(int index, int from, int to, String key, long slots, long accepted, long rejected,
                           long failed, CallCounts calls) {
}
