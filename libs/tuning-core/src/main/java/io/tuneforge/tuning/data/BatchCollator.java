package io.tuneforge.tuning.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.tuneforge.tuning.data.TokenizedExample.IGNORE_INDEX;

/**
 * Makes micro-batches from tokenized examples: right padding to the longest row (optionally
 * rounded up to a multiple, e.g. 8 for tensor cores), attention mask 0 and labels
 * {@link TokenizedExample#IGNORE_INDEX} on padding. With packing, several examples share a row
 * (see {@link SequencePacker}); position ids restart at 0 per example and segment ids tell the
 * model where attention must stop, so the packed examples cannot see each other.
 *
 * <p>The first label of every example is set to IGNORE_INDEX: the causal loss never predicts a
 * row's first token, and in a packed row it would otherwise be predicted from the previous
 * example's last token (as transformers' {@code DataCollatorWithFlattening} does).
 */
public final class BatchCollator {

    private final long padId;
    private final boolean packing;
    private final int maxSeqLength;
    private final int padToMultipleOf;

    /** Pads to the longest row exactly. */
    public BatchCollator(int padId, boolean packing, int maxSeqLength) {
        this(padId, packing, maxSeqLength, 1);
    }

    /**
     * @param padId token id written on padding (masked, so any valid id; usually PAD or EOS)
     * @param packing whether {@link #collate} packs several examples into a row
     * @param maxSeqLength longest row
     * @param padToMultipleOf round the padded length up to a multiple of this (1 = no rounding)
     */
    public BatchCollator(int padId, boolean packing, int maxSeqLength, int padToMultipleOf) {
        if (padId < 0) {
            throw new IllegalArgumentException("padId = " + padId + " must be a token id >= 0");
        }
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength = " + maxSeqLength + " must be >= 2");
        }
        if (padToMultipleOf < 1) {
            throw new IllegalArgumentException("padToMultipleOf = " + padToMultipleOf + " must be >= 1 (1 = off)");
        }
        this.padId = padId;
        this.packing = packing;
        this.maxSeqLength = maxSeqLength;
        this.padToMultipleOf = padToMultipleOf;
    }

    public boolean packing() {
        return packing;
    }

    public int maxSeqLength() {
        return maxSeqLength;
    }

    /**
     * One batch: a row per example, or with packing as few rows as {@link SequencePacker} fits
     * the examples into.
     *
     * @param manager owner of the batch's arrays (usually the step's sub-manager)
     */
    public Batch collate(List<TokenizedExample> examples, NDManager manager) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty list of examples");
        }
        List<List<TokenizedExample>> rows = new ArrayList<>();
        if (packing) {
            int[] lengths = examples.stream().mapToInt(TokenizedExample::length).toArray();
            for (List<Integer> row : SequencePacker.pack(lengths, maxSeqLength)) {
                rows.add(row.stream().map(examples::get).toList());
            }
        } else {
            examples.forEach(e -> rows.add(List.of(e)));
        }
        return collateRows(rows, manager);
    }

    /**
     * One batch with the given rows; a row of several examples needs packing on (use
     * {@link SequencePacker} to plan rows over a whole epoch).
     */
    public Batch collateRows(List<List<TokenizedExample>> rows, NDManager manager) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty list of rows");
        }
        int longest = 0;
        int exampleCount = 0;
        for (int r = 0; r < rows.size(); r++) {
            List<TokenizedExample> row = rows.get(r);
            if (row.isEmpty() || (row.size() > 1 && !packing)) {
                throw new IllegalArgumentException("row " + r + " holds " + row.size() + " examples; rows need one"
                        + " example, or several with packing on");
            }
            int length = row.stream().mapToInt(TokenizedExample::length).sum();
            if (length > maxSeqLength) {
                throw new IllegalArgumentException("row " + r + " holds " + length + " tokens, more than maxSeqLength = "
                        + maxSeqLength + "; encode with the same maxSeqLength (it truncates)");
            }
            longest = Math.max(longest, length);
            exampleCount += row.size();
        }
        int b = rows.size();
        int t = ceilToMultiple(longest, padToMultipleOf);
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] labels = new long[b * t];
        long[] positions = packing ? new long[b * t] : null;
        long[] segments = packing ? new long[b * t] : null;
        Arrays.fill(ids, padId);
        Arrays.fill(labels, IGNORE_INDEX);
        long tokens = 0;
        long targets = 0;
        for (int r = 0; r < b; r++) {
            int at = r * t;
            int segment = 0;
            for (TokenizedExample example : rows.get(r)) {
                segment++;
                int n = example.length();
                System.arraycopy(example.inputIds(), 0, ids, at, n);
                System.arraycopy(example.labels(), 0, labels, at, n);
                labels[at] = IGNORE_INDEX;
                for (int i = 0; i < n; i++) {
                    mask[at + i] = 1;
                    if (labels[at + i] != IGNORE_INDEX) {
                        targets++;
                    }
                    if (packing) {
                        positions[at + i] = i;
                        segments[at + i] = segment;
                    }
                }
                tokens += n;
                at += n;
            }
        }
        Shape shape = new Shape(b, t);
        return new Batch(manager.create(ids, shape), manager.create(mask, shape), manager.create(labels, shape),
                packing ? manager.create(positions, shape) : null, packing ? manager.create(segments, shape) : null,
                tokens, targets, exampleCount);
    }

    private static int ceilToMultiple(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
