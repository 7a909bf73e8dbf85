package io.tuneforge.augment.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.dataprep.sink.DatasetSink;
import io.tuneforge.dataprep.sink.DigestingOutputStream;
import io.tuneforge.dataprep.sink.WrittenFile;
import io.tuneforge.storage.ArtifactStore;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BiFunction;

/**
 * Wraps the store sink of an augmented version, which the pipeline runs over the train side only (parent train
 * records + accepted generations, {@code evalCount} 0):
 * <ul>
 *   <li>eval.jsonl — the pipeline writes none; the parent's eval.jsonl is copied unchanged instead, so no rewrite of
 *       an eval record can land in train, and the parent and the augmented version are evaluated alike;</li>
 *   <li>rejected.jsonl — passed through and read as it goes ({@link RejectedTally});</li>
 *   <li>manifest.json — held until closed, then completed by {@code finisher} (eval counts, the augmentation
 *       section) and written.</li>
 * </ul>
 */
public final class AugmentedVersionSink implements DatasetSink {

    private final DatasetSink delegate;
    private final ArtifactStore store;
    private final String parentEvalKey;
    private final RejectedTally tally;
    private final BiFunction<ObjectNode, WrittenFile, ObjectNode> finisher;
    private WrittenFile eval;
    private ObjectNode manifest;

    /**
     * @param parentEvalKey the parent's eval.jsonl, or null when it has none (then eval.jsonl is empty)
     * @param finisher      (pipeline's manifest, inherited eval file) → the manifest to publish; called once the
     *                      data files are closed, so {@code tally} is complete
     */
    public AugmentedVersionSink(DatasetSink delegate, ArtifactStore store, String parentEvalKey, RejectedTally tally,
            BiFunction<ObjectNode, WrittenFile, ObjectNode> finisher) {
        this.delegate = delegate;
        this.store = store;
        this.parentEvalKey = parentEvalKey;
        this.tally = tally;
        this.finisher = finisher;
    }

    @Override
    public OutputStream create(String fileName) throws IOException {
        return switch (fileName) {
            case ObjectKeys.EVAL_FILE -> new InheritedEval();
            case ObjectKeys.REJECTED_FILE -> new TalliedRejected(delegate.create(fileName));
            case ObjectKeys.MANIFEST_FILE -> new HeldManifest();
            default -> delegate.create(fileName);
        };
    }

    @Override
    public void commit() throws IOException {
        delegate.commit();
    }

    @Override
    public void abort() {
        delegate.abort();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    /** The copied eval.jsonl (after the pipeline closed it). */
    public WrittenFile eval() {
        return eval;
    }

    /** The manifest as published (after the pipeline closed it). */
    public ObjectNode manifest() {
        return manifest;
    }

    /** Swallows the pipeline's (empty) eval split; on close, copies the parent's in its place. */
    private final class InheritedEval extends OutputStream {

        private long written;
        private boolean closed;

        @Override
        public void write(int b) {
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            written += len;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (written > 0) {
                throw new IOException("the pipeline wrote " + written + " bytes of eval records, but an augmented"
                        + " version inherits its parent's eval split (evalCount must be 0)");
            }
            try (DigestingOutputStream out = new DigestingOutputStream(ObjectKeys.EVAL_FILE,
                    delegate.create(ObjectKeys.EVAL_FILE))) {
                if (parentEvalKey != null) {
                    try (InputStream in = store.get(parentEvalKey)) {
                        in.transferTo(out);
                    }
                }
                out.close();
                eval = out.result();
            }
        }
    }

    /** Passes rejected.jsonl through, handing each complete line to the tally. */
    private final class TalliedRejected extends FilterOutputStream {

        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);

        TalliedRejected(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            take(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                take(b[i]);
            }
        }

        private void take(int b) throws IOException {
            if (b == '\n') {
                tally.add(line.toByteArray());
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    /** Holds the pipeline's manifest; on close, writes the finished one. */
    private final class HeldManifest extends ByteArrayOutputStream {

        private boolean closed;

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            ObjectNode pipelineManifest = (ObjectNode) Json.mapper().readTree(toByteArray());
            manifest = finisher.apply(pipelineManifest, eval == null ? new WrittenFile(ObjectKeys.EVAL_FILE, 0,
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0) : eval);
            try (OutputStream out = delegate.create(ObjectKeys.MANIFEST_FILE)) {
                out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                out.write('\n');
            }
        }
    }
}
