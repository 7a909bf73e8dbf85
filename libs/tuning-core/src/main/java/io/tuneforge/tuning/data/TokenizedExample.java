package io.tuneforge.tuning.data;

import java.util.Arrays;

/**
 * One training example as token ids, with the labels the loss reads.
 *
 * <p>Labels are aligned with the inputs (Hugging Face convention): {@code labels[t]} is either
 * {@code inputIds[t]} (the token is a target) or {@link #IGNORE_INDEX} (masked: system, user and
 * template tokens). The loss shifts them itself: logits at t predict {@code labels[t + 1]}.
 *
 * @param inputIds token ids, at most the encoder's maxSeqLength
 * @param labels same length; {@code inputIds[t]} or {@link #IGNORE_INDEX}
 * @param truncated whether tokens past maxSeqLength were cut off
 */
public record TokenizedExample(long[] inputIds, long[] labels, boolean truncated) {

    /** Label of a position that does not count in the loss (PyTorch's cross-entropy ignore_index). */
    public static final long IGNORE_INDEX = -100;

    public TokenizedExample {
        if (inputIds == null || labels == null) {
            throw new IllegalArgumentException("inputIds and labels must not be null");
        }
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("inputIds must hold at least one token");
        }
        if (labels.length != inputIds.length) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries but inputIds has "
                    + inputIds.length + "; they must be aligned one to one");
        }
        for (int t = 0; t < labels.length; t++) {
            if (labels[t] != IGNORE_INDEX && labels[t] != inputIds[t]) {
                throw new IllegalArgumentException("labels[" + t + "] = " + labels[t] + " must be inputIds[" + t
                        + "] = " + inputIds[t] + " or " + IGNORE_INDEX + " (IGNORE_INDEX)");
            }
        }
    }

    /** Number of tokens. */
    public int length() {
        return inputIds.length;
    }

    /** Positions whose label is a token (not {@link #IGNORE_INDEX}). */
    public int labelledCount() {
        int n = 0;
        for (long label : labels) {
            if (label != IGNORE_INDEX) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedExample other && truncated == other.truncated
                && Arrays.equals(inputIds, other.inputIds) && Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(inputIds) + Arrays.hashCode(labels)) + Boolean.hashCode(truncated);
    }

    @Override
    public String toString() {
        return "TokenizedExample[length=" + inputIds.length + ", labelled=" + labelledCount() + ", truncated="
                + truncated + "]";
    }
}
