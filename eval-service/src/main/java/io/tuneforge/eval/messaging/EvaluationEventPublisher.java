package io.tuneforge.eval.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.servicekit.messaging.EventSource;
import io.tuneforge.servicekit.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Publishes evaluation facts on {@code tuneforge.evaluation.events}, keyed by evaluation id, and waits for the broker's ack. */
@ApplicationScoped
public class EvaluationEventPublisher {

    private static final Logger LOG = Logger.getLogger(EvaluationEventPublisher.class);

    private final MutinyEmitter<String> emitter;
    private final EventSource source;

    public EvaluationEventPublisher(@Channel("evaluation-events") MutinyEmitter<String> emitter, EventSource source) {
        this.emitter = emitter;
        this.source = source;
    }

    public EventEnvelope<EventPayload> publish(EventPayload payload) {
        EventEnvelope<EventPayload> event = source.envelope(payload);
        emitter.sendMessageAndAwait(OutgoingEvents.message(event));
        LOG.infof("Published %s for evaluation %s (event %s)", event.type().type(), event.subject(), event.id());
        return event;
    }
}
