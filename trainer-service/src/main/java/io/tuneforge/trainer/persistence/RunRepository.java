package io.tuneforge.trainer.persistence;

import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** A run's files in the object store: {@code runs/{runId}/request.json} and {@code runs/{runId}/state.json}. */
@ApplicationScoped
public class RunRepository {

    private final ArtifactStore store;

    public RunRepository(ArtifactStore store) {
        this.store = store;
    }

    /** The run's state, or empty when the run is unknown. */
    public Optional<RunState> findState(String runId) {
        try {
            return Optional.of(store.getJson(ObjectKeys.runState(runId), RunState.class));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    public void saveState(RunState state) {
        store.putJson(ObjectKeys.runState(state.runId()), state);
    }

    /** Forgets a run's state (an admission that could not be completed). */
    public void deleteState(String runId) {
        store.delete(ObjectKeys.runState(runId));
    }

    /** The request as it will run: run id and defaults filled in. */
    public void saveRequest(TrainingRequest request) {
        store.putJson(ObjectKeys.runRequest(request.runId()), request);
    }

    public Optional<TrainingRequest> findRequest(String runId) {
        try {
            return Optional.of(store.getJson(ObjectKeys.runRequest(runId), TrainingRequest.class));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }
}
