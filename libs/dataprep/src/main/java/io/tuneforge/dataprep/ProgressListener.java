package io.tuneforge.dataprep;

/**
 * Receives progress while a run goes on, at most once per {@link PipelineSettings#progressInterval()} plus once at
 * the end of each phase; called on the thread that runs the pipeline, so keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = p -> { };

    void onProgress(Progress progress);
}
