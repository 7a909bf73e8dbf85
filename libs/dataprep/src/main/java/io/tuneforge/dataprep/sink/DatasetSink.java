package io.tuneforge.dataprep.sink;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a prepared dataset version goes, all or nothing. The pipeline {@link #create creates} train.jsonl,
 * eval.jsonl and rejected.jsonl, closes them, creates and closes manifest.json last, then calls {@link #commit}; on
 * any failure it calls {@link #abort} instead. Until commit nothing may be visible under the final names (write to
 * temporary names, a staging prefix, or an unfinished multipart upload); commit publishes the data files and the
 * manifest last, so a reader that finds the manifest finds a complete version.
 *
 * <p>{@link LocalDirectorySink} writes a directory; data-service adds an object-store sink. One sink serves one
 * pipeline run; the pipeline calls it from one thread.
 */
public interface DatasetSink {

    /**
     * A new file of the version, not yet visible; the caller closes the stream before {@link #commit}.
     *
     * @param fileName a plain file name such as {@code train.jsonl}
     */
    OutputStream create(String fileName) throws IOException;

    /** Publishes every created file under its final name, the manifest last. */
    void commit() throws IOException;

    /** Discards every created file; publishes nothing. Never throws; safe to call after a failed commit. */
    void abort();

    /** Where the files go, for messages: a directory, an {@code s3://} prefix. */
    String describe();
}
