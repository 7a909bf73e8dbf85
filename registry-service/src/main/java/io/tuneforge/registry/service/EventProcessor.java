package io.tuneforge.registry.service;

import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.registry.persistence.ProcessedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Applies one event in one transaction: skip it when {@code processed_event} has its id, else apply it and record
 * the id. A failure rolls back both, so the event is either fully applied and recorded, or neither.
 * <ul>
 *   <li>training events → the run, its timeline and metric series; a TrainingCompleted also files a model version;</li>
 *   <li>DatasetPrepared → a dataset version;</li>
 *   <li>EvaluationCompleted / EvaluationFailed → an evaluation;</li>
 *   <li>anything else (DatasetRejected, augmentation events) is recorded as seen.</li>
 * </ul>
 */
@ApplicationScoped
public class EventProcessor {

    private final ProcessedEventRepository processed;
    private final RunProjection runs;
    private final DatasetProjection datasets;
    private final EvaluationProjection evaluations;
    private final ModelRegistry registry;

    public EventProcessor(ProcessedEventRepository processed, RunProjection runs, DatasetProjection datasets,
                          EvaluationProjection evaluations, ModelRegistry registry) {
        this.processed = processed;
        this.runs = runs;
        this.datasets = datasets;
        this.evaluations = evaluations;
        this.registry = registry;
    }

    /**
     * @param event a decoded event that passed {@link EventChecks#requireUsable}
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public EventOutcome process(EventEnvelope<EventPayload> event) {
        if (processed.isProcessed(event.id())) {
            return EventOutcome.DUPLICATE;
        }
        EventOutcome outcome;
        EventPayload data = event.data();
        if (RunStatusTransitions.impliedBy(event.type()).isPresent()) {
            runs.apply(event);
            if (data instanceof TrainingCompleted completed) {
                registry.registerFrom(event.id(), event.time(), completed);
            }
            outcome = EventOutcome.APPLIED;
        } else if (data instanceof DatasetPrepared prepared) {
            boolean added = datasets.apply(new EventEnvelope<>(event.id(), event.source(), event.type(),
                    event.subject(), event.time(), prepared));
            outcome = added ? EventOutcome.APPLIED : EventOutcome.IGNORED;
        } else if (data instanceof EvaluationCompleted || data instanceof EvaluationFailed) {
            outcome = evaluations.apply(event.id(), event.time(), data) ? EventOutcome.APPLIED : EventOutcome.IGNORED;
        } else {
            outcome = EventOutcome.IGNORED;
        }
        processed.markProcessed(event.id(), event.type().type(), Instant.now());
        return outcome;
    }
}
