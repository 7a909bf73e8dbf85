package io.tuneforge.augment.job;

import io.tuneforge.contracts.augmentation.AugmentationCompleted;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.dataset.DatasetPrepared;

/** How a run of a job ended. */
public sealed interface JobOutcome {

    /** The version is published; these events are to be sent (again, after a crash before they were). */
    record Completed(DatasetPrepared prepared, AugmentationCompleted completed) implements JobOutcome {
    }

    /** The job stopped without a version; progress is kept and a resend resumes it. */
    record Failed(AugmentationFailed failed) implements JobOutcome {
    }

    /** The job had finished before, events included: nothing to do. */
    record AlreadyCompleted(JobProgress progress) implements JobOutcome {
    }

    /** The thread was interrupted (shutdown): progress is kept, the job resumes when the command comes again. */
    record Stopped(JobProgress progress) implements JobOutcome {
    }
}
