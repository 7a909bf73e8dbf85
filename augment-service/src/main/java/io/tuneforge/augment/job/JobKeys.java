package io.tuneforge.augment.job;

import io.tuneforge.contracts.storage.ObjectKeys;

/**
 * augment-service's own objects beside the dataset versions it writes:
 * <pre>
 * augment-jobs/{jobId}/progress.json          the job's request, status, finished chunks, counts and result
 * augment-jobs/{jobId}/chunks/{00000}.jsonl    one line per generation slot of a finished chunk (Generation)
 * augment-cache/{sha256}.json                  one completion (ResponseCache)
 * </pre>
 */
public final class JobKeys {

    public static final String JOBS = "augment-jobs/";

    private JobKeys() {
    }

    public static String prefix(String jobId) {
        return JOBS + ObjectKeys.requireId("job id", jobId) + "/";
    }

    public static String progress(String jobId) {
        return prefix(jobId) + "progress.json";
    }

    public static String chunk(String jobId, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("chunk index " + index + " is negative");
        }
        return prefix(jobId) + "chunks/" + String.format("%05d", index) + ".jsonl";
    }
}
