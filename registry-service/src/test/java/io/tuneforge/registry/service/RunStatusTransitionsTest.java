package io.tuneforge.registry.service;

import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.TrainingStatus;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static io.tuneforge.contracts.training.TrainingStatus.CANCELLED;
import static io.tuneforge.contracts.training.TrainingStatus.FAILED;
import static io.tuneforge.contracts.training.TrainingStatus.QUEUED;
import static io.tuneforge.contracts.training.TrainingStatus.RUNNING;
import static io.tuneforge.contracts.training.TrainingStatus.SUCCEEDED;
import static io.tuneforge.contracts.training.TrainingStatus.VALIDATING;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RunStatusTransitionsTest {

    @Test
    void eachTrainingEventImpliesItsStatus() {
        assertEquals(Optional.of(QUEUED), RunStatusTransitions.impliedBy(EventType.TRAINING_QUEUED));
        assertEquals(Optional.of(RUNNING), RunStatusTransitions.impliedBy(EventType.TRAINING_STARTED));
        assertEquals(Optional.of(RUNNING), RunStatusTransitions.impliedBy(EventType.TRAINING_PROGRESS));
        assertEquals(Optional.of(RUNNING), RunStatusTransitions.impliedBy(EventType.TRAINING_CHECKPOINTED));
        assertEquals(Optional.of(SUCCEEDED), RunStatusTransitions.impliedBy(EventType.TRAINING_COMPLETED));
        assertEquals(Optional.of(FAILED), RunStatusTransitions.impliedBy(EventType.TRAINING_FAILED));
        assertEquals(Optional.of(CANCELLED), RunStatusTransitions.impliedBy(EventType.TRAINING_CANCELLED));
        assertEquals(Optional.empty(), RunStatusTransitions.impliedBy(EventType.TRAINING_REQUESTED));
        assertEquals(Optional.empty(), RunStatusTransitions.impliedBy(EventType.DATASET_PREPARED));
    }

    @Test
    void aNewRunTakesTheImpliedStatus() {
        for (TrainingStatus s : TrainingStatus.values()) {
            assertEquals(s, RunStatusTransitions.next(null, s));
        }
    }

    @Test
    void statusOnlyMovesForward() {
        assertEquals(RUNNING, RunStatusTransitions.next(QUEUED, RUNNING));
        assertEquals(RUNNING, RunStatusTransitions.next(RUNNING, QUEUED));
        assertEquals(QUEUED, RunStatusTransitions.next(VALIDATING, QUEUED));
        assertEquals(FAILED, RunStatusTransitions.next(QUEUED, FAILED));
        assertEquals(SUCCEEDED, RunStatusTransitions.next(RUNNING, SUCCEEDED));
    }

    @Test
    void aTerminalStatusIsFinal() {
        for (TrainingStatus terminal : List.of(SUCCEEDED, FAILED, CANCELLED)) {
            for (TrainingStatus implied : EnumSet.allOf(TrainingStatus.class)) {
                assertEquals(terminal, RunStatusTransitions.next(terminal, implied),
                        terminal + " then " + implied);
            }
        }
    }

    @Test
    void outOfOrderDeliveryEndsWhereInOrderDeliveryEnds() {
        // Every order of Queued, Started, Failed ends failed.
        List<List<TrainingStatus>> orders = List.of(
                List.of(QUEUED, RUNNING, FAILED), List.of(QUEUED, FAILED, RUNNING), List.of(RUNNING, QUEUED, FAILED),
                List.of(RUNNING, FAILED, QUEUED), List.of(FAILED, QUEUED, RUNNING), List.of(FAILED, RUNNING, QUEUED));
        for (List<TrainingStatus> order : orders) {
            TrainingStatus s = null;
            for (TrainingStatus implied : order) {
                s = RunStatusTransitions.next(s, implied);
            }
            assertEquals(FAILED, s, "order " + order);
        }
    }
}
