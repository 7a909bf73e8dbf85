package io.tuneforge.augment.service;

import io.tuneforge.augment.messaging.AugmentationEventPublisher;
import io.tuneforge.contracts.augmentation.AugmentationFailed;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks an augmentation job before any LLM is called. What is real at this stage: the job id must be usable as a
 * key, the operations must be known, and the source dataset version must exist (its {@code manifest.json}); otherwise
 * {@code AugmentationFailed} says which and what to do. An accepted job is logged; the OpenAI-compatible client, the
 * operations and the new dataset version ({@code AugmentationCompleted}) arrive with the augment-service issue.
 */
@ApplicationScoped
public class AugmentationAdmission {

    /** The operations augment-service offers. */
    public static final List<String> OPERATIONS = List.of("paraphrase", "variations", "backTranslate");

    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String DATASET_NOT_FOUND = "DATASET_NOT_FOUND";
    public static final String INFRASTRUCTURE_ERROR = "INFRASTRUCTURE_ERROR";

    private static final Logger LOG = Logger.getLogger(AugmentationAdmission.class);

    private final ArtifactStore store;
    private final AugmentationEventPublisher events;

    public AugmentationAdmission(ArtifactStore store, AugmentationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    public void handle(String eventId, AugmentationRequested job) {
        List<String> problems = new ArrayList<>();
        if (!ObjectKeys.isValidId(job.jobId())) {
            problems.add("jobId: expected " + ObjectKeys.ID_RULE + ", got '" + job.jobId() + "'");
        }
        DatasetVersionRef source = job.source();
        if (!ObjectKeys.isValidId(source.datasetId()) || source.version() < 1) {
            problems.add("source: expected a dataset id (" + ObjectKeys.ID_RULE + ") and a version >= 1, got "
                    + source);
        }
        for (int i = 0; i < job.operations().size(); i++) {
            String op = job.operations().get(i);
            if (!OPERATIONS.contains(op)) {
                problems.add("operations[" + i + "]: expected one of " + String.join(", ", OPERATIONS) + ", got '"
                        + op + "'");
            }
        }
        if (job.operations().isEmpty()) {
            problems.add("operations: expected at least one of " + String.join(", ", OPERATIONS) + ", got []");
        }
        if (!problems.isEmpty()) {
            fail(job, INVALID_REQUEST, "The augmentation job is invalid: " + String.join("; ", problems) + ".");
            return;
        }
        String manifest = ObjectKeys.datasetManifest(source.datasetId(), source.version());
        boolean exists;
        try {
            exists = store.exists(manifest);
        } catch (StorageException e) {
            fail(job, INFRASTRUCTURE_ERROR, "The object store failed while checking " + store.uri(manifest) + ": "
                    + e.getMessage() + ". Send the job again once /q/health/ready reports the object store UP.");
            return;
        }
        if (!exists) {
            fail(job, DATASET_NOT_FOUND, "Source dataset " + source + " not found: " + store.uri(manifest)
                    + " does not exist. Prepare it with data-service first and use the id and version of its"
                    + " DatasetPrepared event.");
            return;
        }
        LOG.infof("Augmentation job %s of %s (%s) accepted (event %s). The LLM operations arrive with the"
                + " augment-service issue: no version is written and no AugmentationCompleted is emitted yet",
                job.jobId(), source, String.join(", ", job.operations()), eventId);
    }

    private void fail(AugmentationRequested job, String code, String message) {
        events.publish(new AugmentationFailed(1, job.jobId(), job.source(), code, message));
        LOG.infof("Augmentation job %s failed (%s): %s", job.jobId(), code, message);
    }
}
