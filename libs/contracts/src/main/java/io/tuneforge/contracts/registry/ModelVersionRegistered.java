package io.tuneforge.contracts.registry;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/**
 * The registry filed a new version of a registered model (MLflow's ModelVersion).
 *
 * @param sourceUri the adapter (or full model) directory
 * @param baseModel the base model the adapter applies to
 * @param status    PENDING_REGISTRATION, FAILED_REGISTRATION or READY
 */
public record ModelVersionRegistered(int schemaVersion, @Required String modelName, @Required int version, String runId,
                                     @Required String sourceUri, String baseModel, String status) implements EventPayload {

    @Override
    public String aggregateId() {
        return modelName;
    }
}
