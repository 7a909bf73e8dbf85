package io.tuneforge.registry.service;

import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.registry.persistence.ProcessedEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Applies one event in one transaction: skip it when {@code processed_event} has its id, else apply it and record
 * the id. A failure rolls back both, so the event is either fully applied and recorded, or neither.
 */
@ApplicationScoped
public class EventProcessor {

    private final ProcessedEventRepository processed;
    private final RunProjection runs;
    private final DatasetProjection datasets;

    public EventProcessor(ProcessedEventRepository processed, RunProjection runs, DatasetProjection datasets) {
        this.processed = processed;
        this.runs = runs;
        this.datasets = datasets;
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
        if (RunStatusTransitions.impliedBy(event.type()).isPresent()) {
            runs.apply(event);
            outcome = EventOutcome.APPLIED;
        } else if (event.data() instanceof DatasetPrepared prepared) {
            boolean added = datasets.apply(new EventEnvelope<>(event.id(), event.source(), event.type(),
                    event.subject(), event.time(), prepared));
            outcome = added ? EventOutcome.APPLIED : EventOutcome.IGNORED;
        } else {
            outcome = EventOutcome.IGNORED;
        }
        processed.markProcessed(event.id(), event.type().type(), Instant.now());
        return outcome;
    }
}
