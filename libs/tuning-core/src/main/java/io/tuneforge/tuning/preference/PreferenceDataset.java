package io.tuneforge.tuning.preference;

import io.tuneforge.tuning.data.JsonlRecords;
import io.tuneforge.tuning.data.SkippedRecord;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A preference dataset: a JSONL file of {@code prompt/chosen/rejected} records (data-service's
 * {@code train.jsonl} / {@code eval.jsonl} for method dpo or orpo), every record encoded once, up
 * front, with a {@link PreferenceEncoder}.
 *
 * <p>Records that cannot train (bad JSON, wrong fields, identical answers, template trouble) are
 * skipped and kept in {@link #skipped()} with their line number and reason — none is dropped
 * silently. Blank lines are ignored. Ids are kept as ints (4 bytes a token).
 */
public final class PreferenceDataset {


    private final Path source;
    private final List<int[][]> pairs;     // {prompt, chosen, rejected}
    private final boolean[] truncated;
    private final long[] lines;
    private final List<SkippedRecord> skipped;

    private PreferenceDataset(Path source, List<int[][]> pairs, boolean[] truncated, long[] lines,
                              List<SkippedRecord> skipped) {
        this.source = source;
        this.pairs = pairs;
        this.truncated = truncated;
        this.lines = lines;
        this.skipped = Collections.unmodifiableList(skipped);
    }

    /**
     * Reads and encodes every record of a JSONL file.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when no record is usable, listing the first reasons
     */
    public static PreferenceDataset load(Path jsonl, PreferenceEncoder encoder) {
        JsonlRecords<PreferenceExample> records = JsonlRecords.read(jsonl, "preference dataset",
                "prompt/chosen/rejected record", encoder::encodeRecord);
        int n = records.encoded().size();
        List<int[][]> pairs = new ArrayList<>(n);
        boolean[] truncated = new boolean[n];
        long[] lines = new long[n];
        for (JsonlRecords.Encoded<PreferenceExample> record : records.encoded()) {
            PreferenceExample example = record.example();
            truncated[pairs.size()] = example.truncated();
            lines[pairs.size()] = record.line();
            pairs.add(new int[][] {ints(example.prompt()), ints(example.chosen()), ints(example.rejected())});
        }
        return new PreferenceDataset(jsonl, pairs, truncated, lines, records.skipped());
    }

    private static int[] ints(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    private static long[] longs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    /** Usable pairs. */
    public int size() {
        return pairs.size();
    }

    /** Pair {@code i} (0-based among usable pairs). */
    public PreferenceExample get(int i) {
        int[][] p = pairs.get(i);
        return new PreferenceExample(longs(p[0]), longs(p[1]), longs(p[2]), truncated[i]);
    }

    /** Per pair, the longer of its two sequences in tokens (what a plan of rows needs). */
    public int[] lengths() {
        int[] out = new int[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            int[][] p = pairs.get(i);
            out[i] = p[0].length + Math.max(p[1].length, p[2].length);
        }
        return out;
    }

    /** Tokens of both sequences of every pair. */
    public long tokenCount() {
        long n = 0;
        for (int[][] p : pairs) {
            n += 2L * p[0].length + p[1].length + p[2].length;
        }
        return n;
    }

    /**
     * SHA-256 (hex) over every pair's token ids, in order: two datasets with the same fingerprint encode to the
     * same examples (what precomputed reference log-probs are tied to).
     */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        for (int[][] pair : pairs) {
            for (int[] part : pair) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * (part.length + 1)).putInt(part.length);
                bytes.asIntBuffer().put(part);
                sha.update(bytes.array());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** 1-based JSONL line of pair {@code i}. */
    public long line(int i) {
        return lines[i];
    }

    /** Usable pairs whose prompt or completions were cut. */
    public long truncatedCount() {
        long n = 0;
        for (boolean t : truncated) {
            if (t) {
                n++;
            }
        }
        return n;
    }

    /** Records skipped, in file order. */
    public List<SkippedRecord> skipped() {
        return skipped;
    }

    /** The file the records came from. */
    public Path source() {
        return source;
    }
}
