package io.tuneforge.trainer.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.servicekit.messaging.EventSource;
import io.tuneforge.servicekit.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes run facts on {@code tuneforge.training.events}, keyed by run id, and waits for the broker's ack, so a
 * command is acknowledged only after its answer is durable.
 */
@ApplicationScoped
public class TrainingEventPublisher {

    private static final Logger LOG = Logger.getLogger(TrainingEventPublisher.class);

    private final MutinyEmitter<String> emitter;
    private final EventSource source;

    public TrainingEventPublisher(@Channel("training-events") MutinyEmitter<String> emitter, EventSource source) {
        this.emitter = emitter;
        this.source = source;
    }

    public EventEnvelope<EventPayload> publish(EventPayload payload) {
        return publish(source.envelope(payload));
    }

    /** Publishes an event stamped by the caller (a terminal event keeps one id however often it is sent). */
    public <T extends EventPayload> EventEnvelope<T> publish(EventEnvelope<T> event) {
        emitter.sendMessageAndAwait(OutgoingEvents.message(event));
        LOG.infof("Published %s for run %s (event %s)", event.type().type(), event.subject(), event.id());
        return event;
    }

    /** {@code /tuneforge/trainer-service}: the source of this service's events. */
    public String source() {
        return source.source();
    }
}
