package io.tuneforge.augment.job;

/** Told about a running job, on the job's thread. */
public interface JobListener {

    JobListener NONE = progress -> { };

    /** A chunk finished and its progress was written. */
    void onChunk(JobProgress progress);
}
