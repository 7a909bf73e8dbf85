package io.tuneforge.tuning.preference;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tuneforge.tuning.data.Batch;
import io.tuneforge.tuning.weights.SafetensorsDtype;
import io.tuneforge.tuning.weights.SafetensorsReader;
import io.tuneforge.tuning.weights.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DPO reference log-probs computed once over a whole dataset before training (TRL's
 * {@code precompute_ref_log_probs}), kept as two float arrays indexed by pair and stored with the run,
 * so the reference model need not stay in memory and each training step runs one forward pass.
 *
 * <p>File ({@code reference_logps.safetensors}, 8 bytes a pair): {@code chosen} and {@code rejected}
 * (N,) F32, metadata {@code pairs}, {@code dataset_sha256} ({@link PreferenceDataset#fingerprint()})
 * and {@code reference} (what computed them). Loading checks that the file belongs to the same
 * encoded dataset.
 */
public final class PrecomputedReference implements ReferencePolicy {

    public static final String FILE_NAME = "reference_logps.safetensors";

    private final float[] chosen;
    private final float[] rejected;
    private final String fingerprint;
    private final String description;

    private PrecomputedReference(float[] chosen, float[] rejected, String fingerprint, String description) {
        this.chosen = chosen;
        this.rejected = rejected;
        this.fingerprint = fingerprint;
        this.description = description;
    }

    /**
     * Runs {@code live} over every pair of {@code data}, {@code batchSize} pairs at a time, in dataset order.
     *
     * @param device where the batches are made (the model's device)
     */
    public static PrecomputedReference compute(PreferenceDataset data, ReferencePolicy live,
                                               PreferenceCollator collator, int batchSize, Device device) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " must be >= 1");
        }
        float[] chosen = new float[data.size()];
        float[] rejected = new float[data.size()];
        try (NDManager root = NDManager.newBaseManager(device)) {
            for (int first = 0; first < data.size(); first += batchSize) {
                int n = Math.min(batchSize, data.size() - first);
                List<PreferenceExample> pairs = new ArrayList<>(n);
                int[] indices = new int[n];
                for (int i = 0; i < n; i++) {
                    indices[i] = first + i;
                    pairs.add(data.get(first + i));
                }
                try (NDManager m = root.newSubManager(); Batch batch = collator.collate(pairs, m)) {
                    LogProbs lp = live.logProbs(batch, indices, m);
                    System.arraycopy(lp.chosen().toFloatArray(), 0, chosen, first, n);
                    System.arraycopy(lp.rejected().toFloatArray(), 0, rejected, first, n);
                }
            }
        }
        return new PrecomputedReference(chosen, rejected, data.fingerprint(), live.description());
    }

    /**
     * Reads a stored file and checks it belongs to {@code data}.
     *
     * @throws IllegalArgumentException when it was computed for other data, naming both fingerprints
     */
    public static PrecomputedReference load(Path file, PreferenceDataset data) {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            Map<String, String> meta = reader.metadata();
            String stored = meta.getOrDefault("dataset_sha256", "(none)");
            if (!stored.equals(data.fingerprint())) {
                throw new IllegalArgumentException("reference log-probs " + file + " were computed for dataset "
                        + stored + " but this run's data encodes to " + data.fingerprint() + " (" + data.size()
                        + " pairs from " + data.source() + "); delete the file to compute them again");
            }
            float[] c = reader.readFloats("chosen");
            float[] r = reader.readFloats("rejected");
            if (c.length != data.size() || r.length != data.size()) {
                throw new IllegalArgumentException("reference log-probs " + file + " hold " + c.length + "/" + r.length
                        + " values but the dataset has " + data.size() + " pairs");
            }
            return new PrecomputedReference(c, r, stored, meta.getOrDefault("reference", "unknown"));
        }
    }

    /** Writes the file (beside it first, then moved into place). */
    public void save(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        new SafetensorsWriter()
                .putMetadata("pairs", Integer.toString(chosen.length))
                .putMetadata("dataset_sha256", fingerprint)
                .putMetadata("reference", description)
                .addFloats("chosen", new Shape(chosen.length), chosen, SafetensorsDtype.F32)
                .addFloats("rejected", new Shape(rejected.length), rejected, SafetensorsDtype.F32)
                .write(tmp);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public LogProbs logProbs(Batch batch, int[] pairIndices, NDManager manager) {
        if (pairIndices == null || 2L * pairIndices.length != batch.batchSize()) {
            throw new IllegalArgumentException("precomputed reference log-probs need the dataset index of each of the "
                    + batch.batchSize() / 2 + " pairs; got " + (pairIndices == null ? "none" : pairIndices.length));
        }
        float[] c = new float[pairIndices.length];
        float[] r = new float[pairIndices.length];
        for (int i = 0; i < pairIndices.length; i++) {
            c[i] = chosen[pairIndices[i]];
            r[i] = rejected[pairIndices[i]];
        }
        Device device = batch.inputIds().getDevice();
        return new LogProbs(manager.create(c).toDevice(device, false), manager.create(r).toDevice(device, false));
    }

    /** Pairs covered. */
    public int size() {
        return chosen.length;
    }

    /** Reference log-prob of the chosen answer of pair {@code i}. */
    public float chosen(int i) {
        return chosen[i];
    }

    /** Reference log-prob of the rejected answer of pair {@code i}. */
    public float rejected(int i) {
        return rejected[i];
    }

    @Override
    public String description() {
        return "precomputed: " + description;
    }
}
