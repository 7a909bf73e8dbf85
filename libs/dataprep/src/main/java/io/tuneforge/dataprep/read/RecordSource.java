package io.tuneforge.dataprep.read;

import io.tuneforge.dataprep.PipelineException;

import java.io.IOException;

/** Cuts records from the input one at a time, in input order, holding at most one record's bytes. */
public interface RecordSource {

    /**
     * The next record, or null at the end of the input.
     *
     * @throws IOException       when the input cannot be read (e.g. a truncated gzip stream)
     * @throws PipelineException when the input's structure is broken beyond one record (e.g. an unclosed JSON array)
     */
    RawRecord next() throws IOException, PipelineException;
}
