package io.tuneforge.tuning.data;

import ai.djl.ndarray.NDArray;

/**
 * The tensors of one micro-batch, all (B, T) int64 and owned by the manager given to
 * {@link BatchCollator}; closing the batch closes them.
 *
 * <p>Rows are right-padded: {@code attentionMask} is 1 on tokens and 0 on padding, {@code labels}
 * is {@link TokenizedExample#IGNORE_INDEX} on padding, on masked prompt tokens and on the first
 * token of every example (nothing before it predicts it; in a packed row the previous example
 * would). So {@link #targetTokens()} is exactly the number of terms the causal-LM loss sums.
 * Packed batches also carry {@code positionIds} (restarting at 0 per example, 0 on padding) and
 * {@code segmentIds} (1, 2, … per example within a row, 0 on padding) for
 * {@code LlamaModel.forward(ids, mask, null, positionIds, segmentIds)}.
 */
public final class Batch implements AutoCloseable {

    private final NDArray inputIds;      // (B, T)
    private final NDArray attentionMask; // (B, T)
    private final NDArray labels;        // (B, T)
    private final NDArray positionIds;   // (B, T) or null
    private final NDArray segmentIds;    // (B, T) or null
    private final long tokens;
    private final long targetTokens;
    private final int examples;

    /**
     * @param tokens non-padding tokens
     * @param targetTokens labels that are not IGNORE_INDEX
     * @param examples examples in the batch (more than rows when packed)
     */
    public Batch(NDArray inputIds, NDArray attentionMask, NDArray labels, NDArray positionIds, NDArray segmentIds,
                 long tokens, long targetTokens, int examples) {
        if ((positionIds == null) != (segmentIds == null)) {
            throw new IllegalArgumentException("positionIds and segmentIds come together (packed) or not at all");
        }
        this.inputIds = inputIds;
        this.attentionMask = attentionMask;
        this.labels = labels;
        this.positionIds = positionIds;
        this.segmentIds = segmentIds;
        this.tokens = tokens;
        this.targetTokens = targetTokens;
        this.examples = examples;
    }

    /** (B, T) int64 token ids, padding = the collator's padId. */
    public NDArray inputIds() {
        return inputIds;
    }

    /** (B, T) int64, 1 = token, 0 = padding. */
    public NDArray attentionMask() {
        return attentionMask;
    }

    /** (B, T) int64, token id or IGNORE_INDEX (-100). */
    public NDArray labels() {
        return labels;
    }

    /** (B, T) int64 positions restarting per packed example, or null unless packed. */
    public NDArray positionIds() {
        return positionIds;
    }

    /** (B, T) int64 example index within the row (1-based, 0 = padding), or null unless packed. */
    public NDArray segmentIds() {
        return segmentIds;
    }

    /** Whether the rows hold packed examples (positionIds and segmentIds present). */
    public boolean packed() {
        return positionIds != null;
    }

    /** Non-padding tokens in the batch (what tokens/s counts). */
    public long tokens() {
        return tokens;
    }

    /** Labels that count in the loss. */
    public long targetTokens() {
        return targetTokens;
    }

    /** Examples in the batch. */
    public int examples() {
        return examples;
    }

    /** Rows, B. */
    public int batchSize() {
        return (int) inputIds.getShape().get(0);
    }

    /** Padded length, T. */
    public int sequenceLength() {
        return (int) inputIds.getShape().get(1);
    }

    @Override
    public void close() {
        for (NDArray a : new NDArray[] {inputIds, attentionMask, labels, positionIds, segmentIds}) {
            if (a != null) {
                a.close();
            }
        }
    }
}
