package io.tuneforge.registry.service;

import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.TrainingStatus;

import java.util.Optional;

/**
 * Where a run stands after a training event, whatever order the events arrive in.
 * <p>
 * Status only moves forward along {@code validating → queued → running → succeeded | failed | cancelled}:
 * <ol>
 *   <li>each training event implies a status (Queued → queued; Started, Progress, Checkpointed → running;
 *       Completed → succeeded; Failed → failed; Cancelled → cancelled);</li>
 *   <li>a terminal status is final: a late Started or Progress never moves a finished run back to running,
 *       and the first terminal event seen wins over a later, different one;</li>
 *   <li>otherwise the further of the current and the implied status is kept, so a Queued that arrives after
 *       Started leaves the run running.</li>
 * </ol>
 */
public final class RunStatusTransitions {

    private RunStatusTransitions() {
    }

    /** The status a training event implies on its own; empty for events that say nothing about status. */
    public static Optional<TrainingStatus> impliedBy(EventType type) {
        return Optional.ofNullable(switch (type) {
            case TRAINING_QUEUED -> TrainingStatus.QUEUED;
            case TRAINING_STARTED, TRAINING_PROGRESS, TRAINING_CHECKPOINTED -> TrainingStatus.RUNNING;
            case TRAINING_COMPLETED -> TrainingStatus.SUCCEEDED;
            case TRAINING_FAILED -> TrainingStatus.FAILED;
            case TRAINING_CANCELLED -> TrainingStatus.CANCELLED;
            default -> null;
        });
    }

    /**
     * @param current the run's status; null when the run is not known yet
     * @param implied the status the event implies
     * @return the run's status after the event
     */
    public static TrainingStatus next(TrainingStatus current, TrainingStatus implied) {
        if (current == null) {
            return implied;
        }
        if (current.isTerminal()) {
            return current;
        }
        return rank(implied) > rank(current) ? implied : current;
    }

    private static int rank(TrainingStatus status) {
        return switch (status) {
            case VALIDATING -> 0;
            case QUEUED -> 1;
            case RUNNING -> 2;
            case SUCCEEDED, FAILED, CANCELLED -> 3;
        };
    }
}
