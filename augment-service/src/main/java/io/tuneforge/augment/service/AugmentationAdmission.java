package io.tuneforge.augment.service;

import io.tuneforge.augment.config.AugmentConfig;
import io.tuneforge.augment.job.AugmentationEngine;
import io.tuneforge.augment.operation.InvalidJobException;
import io.tuneforge.augment.operation.JobSettings;
import io.tuneforge.augment.operation.Operation;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a job before any LLM is called, for the command consumer and for {@code POST /api/augmentations}: the job
 * id must be usable as a key, the operations known and not repeated, the settings valid, and the source version
 * published (its {@code manifest.json} exists). A refusal names every problem and what would be right.
 */
@ApplicationScoped
public class AugmentationAdmission {

    /** Why a job is refused: an {@link AugmentationEngine} error code and a message for people. */
    public record Refusal(String code, String message) {
    }

    private final ArtifactStore store;
    private final AugmentConfig config;

    public AugmentationAdmission(ArtifactStore store, AugmentConfig config) {
        this.store = store;
        this.config = config;
    }

    public Optional<Refusal> check(AugmentationRequested job) {
        List<String> problems = new ArrayList<>();
        if (!ObjectKeys.isValidId(job.jobId())) {
            problems.add("jobId: expected " + ObjectKeys.ID_RULE + ", got '" + job.jobId() + "'");
        }
        DatasetVersionRef source = job.source();
        if (source == null || !ObjectKeys.isValidId(source.datasetId()) || source.version() < 1) {
            problems.add("source: expected a dataset id (" + ObjectKeys.ID_RULE + ") and a version >= 1, got "
                    + source);
        }
        List<String> operations = job.operations() == null ? List.of() : job.operations();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < operations.size(); i++) {
            String op = operations.get(i);
            if (Operation.fromWire(op) == null) {
                problems.add("operations[" + i + "]: expected one of " + String.join(", ", Operation.wireNames())
                        + ", got '" + op + "'");
            } else if (!seen.add(op)) {
                problems.add("operations[" + i + "]: '" + op + "' is listed twice; use settings.n for more"
                        + " variations");
            }
        }
        if (operations.isEmpty()) {
            problems.add("operations: expected at least one of " + String.join(", ", Operation.wireNames())
                    + ", got []");
        }
        try {
            JobSettings.parse(job.settings(), config);
        } catch (InvalidJobException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            return Optional.of(new Refusal(AugmentationEngine.INVALID_REQUEST, "The augmentation job is invalid: "
                    + String.join("; ", problems) + "."));
        }
        String manifest = ObjectKeys.datasetManifest(source.datasetId(), source.version());
        try {
            if (!store.exists(manifest)) {
                return Optional.of(new Refusal(AugmentationEngine.DATASET_NOT_FOUND, "Source dataset " + source
                        + " not found: " + store.uri(manifest) + " does not exist. Prepare it with data-service first"
                        + " and use the id and version of its DatasetPrepared event."));
            }
        } catch (StorageException e) {
            return Optional.of(new Refusal(AugmentationEngine.INFRASTRUCTURE_ERROR, "The object store failed while"
                    + " checking " + store.uri(manifest) + ": " + e.getMessage() + ". Send the job again once"
                    + " /q/health/ready reports the object store UP."));
        }
        return Optional.empty();
    }
}
