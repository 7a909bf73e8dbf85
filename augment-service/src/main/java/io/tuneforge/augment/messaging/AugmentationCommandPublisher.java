package io.tuneforge.augment.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.servicekit.messaging.EventSource;
import io.tuneforge.servicekit.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Puts a job accepted by {@code POST /api/augmentations} on {@code tuneforge.augmentation.commands} (key = job id),
 * so REST and Kafka clients take the same road: one consumer group runs every job, one at a time per partition, and
 * a replica that dies mid-job leaves its command uncommitted for the next one to resume.
 */
@ApplicationScoped
public class AugmentationCommandPublisher {

    private final MutinyEmitter<String> emitter;
    private final EventSource source;

    public AugmentationCommandPublisher(@Channel("augmentation-requests") MutinyEmitter<String> emitter,
            EventSource source) {
        this.emitter = emitter;
        this.source = source;
    }

    public EventEnvelope<EventPayload> publish(AugmentationRequested command) {
        EventEnvelope<EventPayload> event = source.envelope(command);
        emitter.sendMessageAndAwait(OutgoingEvents.message(event));
        return event;
    }
}
