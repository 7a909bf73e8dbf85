package io.tuneforge.augment.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.servicekit.messaging.EventSource;
import io.tuneforge.servicekit.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes {@code DatasetPrepared} for augmented versions on {@code tuneforge.dataset.events} (key = dataset id),
 * beside data-service's, and waits for the broker's ack.
 */
@ApplicationScoped
public class DatasetEventPublisher {

    private static final Logger LOG = Logger.getLogger(DatasetEventPublisher.class);

    private final MutinyEmitter<String> emitter;
    private final EventSource source;

    public DatasetEventPublisher(@Channel("dataset-events") MutinyEmitter<String> emitter, EventSource source) {
        this.emitter = emitter;
        this.source = source;
    }

    public EventEnvelope<EventPayload> publish(DatasetPrepared prepared) {
        EventEnvelope<EventPayload> event = source.envelope(prepared);
        emitter.sendMessageAndAwait(OutgoingEvents.message(event));
        LOG.infof("Published %s for %s/v%d (event %s)", event.type().type(), prepared.datasetId(), prepared.version(),
                event.id());
        return event;
    }
}
