package io.tuneforge.contracts.training;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/**
 * A replica began (or resumed) the run.
 *
 * @param device          {@code cpu} or {@code gpu:0}
 * @param computeDtype    {@code float32} on CPU, {@code bfloat16} on GPU
 * @param threads         compute threads
 * @param maxMemoryBytes  memory available to the run
 * @param totalSteps      optimizer steps planned
 * @param resumedFromStep step of the checkpoint it resumed from; 0 for a fresh start
 * @param worker          which replica runs it
 */
public record TrainingStarted(int schemaVersion, @Required String runId, String device, String computeDtype, int threads,
                              long maxMemoryBytes, long totalSteps, long resumedFromStep, String worker)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return runId;
    }
}
