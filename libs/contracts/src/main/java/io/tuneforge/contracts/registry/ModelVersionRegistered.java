package io.tuneforge.contracts.registry;

import io.tuneforge.contracts.event.EventPayload;

/**
 * The registry filed a new version of a registered model (MLflow's ModelVersion).
 *
 * @param sourceUri the adapter (or full model) directory
 * @param baseModel the base model the adapter applies to
 * @param status    PENDING_REGISTRATION, FAILED_REGISTRATION or READY
 */
public record ModelVersionRegistered(int schemaVersion, String modelName, int version, String runId,
                                     String sourceUri, String baseModel, String status) implements EventPayload {

    @Override
    public String aggregateId() {
        return modelName;
    }
}
