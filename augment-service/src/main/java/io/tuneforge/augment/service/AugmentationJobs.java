package io.tuneforge.augment.service;

import io.tuneforge.augment.job.AugmentationEngine;
import io.tuneforge.augment.job.JobListener;
import io.tuneforge.augment.job.JobOutcome;
import io.tuneforge.augment.messaging.AugmentationEventPublisher;
import io.tuneforge.augment.messaging.DatasetEventPublisher;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Handles one AugmentationRequested: admission, then the job on the calling (consumer) thread, then its events —
 * DatasetPrepared (source {@code augmentation}, parent = the source version) before AugmentationCompleted, so the
 * registry knows the version when it reads the completion.
 */
@ApplicationScoped
public class AugmentationJobs {

    private static final Logger LOG = Logger.getLogger(AugmentationJobs.class);

    private final AugmentationAdmission admission;
    private final AugmentationEngine engine;
    private final AugmentationEventPublisher events;
    private final DatasetEventPublisher datasetEvents;

    public AugmentationJobs(AugmentationAdmission admission, AugmentationEngine engine,
            AugmentationEventPublisher events, DatasetEventPublisher datasetEvents) {
        this.admission = admission;
        this.engine = engine;
        this.events = events;
        this.datasetEvents = datasetEvents;
    }

    /**
     * @return false when the job was stopped by an interrupt (shutdown) and must not be acknowledged, so that the
     *         command is delivered again and the job resumes; true otherwise
     */
    public boolean handle(String eventId, AugmentationRequested job) {
        Optional<AugmentationAdmission.Refusal> refusal = admission.check(job);
        if (refusal.isPresent()) {
            events.publish(new AugmentationFailed(1, job.jobId(), job.source(), refusal.get().code(),
                    refusal.get().message()));
            LOG.infof("Augmentation job %s refused (%s): %s", job.jobId(), refusal.get().code(),
                    refusal.get().message());
            return true;
        }
        LOG.infof("Augmentation job %s of %s (%s) accepted (event %s)", job.jobId(), job.source(),
                String.join(", ", job.operations()), eventId);
        JobOutcome outcome = engine.run(job, JobListener.NONE);
        if (outcome instanceof JobOutcome.Completed done) {
            datasetEvents.publish(done.prepared());
            events.publish(done.completed());
            engine.markCompleted(job.jobId());
        } else if (outcome instanceof JobOutcome.Failed failed) {
            events.publish(failed.failed());
        } else if (outcome instanceof JobOutcome.AlreadyCompleted) {
            LOG.infof("Augmentation job %s was completed before; the command changes nothing", job.jobId());
        } else {
            return false;
        }
        return true;
    }
}
