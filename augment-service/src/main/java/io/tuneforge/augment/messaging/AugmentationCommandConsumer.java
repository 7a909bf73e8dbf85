package io.tuneforge.augment.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.augment.service.AugmentationJobs;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tuneforge.augmentation.commands}: {@code io.tuneforge.augmentation.requested} as a CloudEvent, or
 * its data as plain JSON. Unreadable records go to {@code tuneforge.augmentation.commands.dlq} with the reason; an
 * event id seen before is acknowledged without effect. A job runs on this (worker) thread and its command is
 * acknowledged when it ends, so a replica that dies mid-job leaves the command to be delivered again, and the job
 * resumes from its progress in the store.
 */
@ApplicationScoped
public class AugmentationCommandConsumer {

    private static final Logger LOG = Logger.getLogger(AugmentationCommandConsumer.class);

    private final AugmentationJobs jobs;
    private final ProcessedEvents processed;

    public AugmentationCommandConsumer(AugmentationJobs jobs, ProcessedEvents processed) {
        this.jobs = jobs;
        this.processed = processed;
    }

    @Incoming("augmentation-commands")
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> message) {
        EventEnvelope<EventPayload> event;
        try {
            event = IncomingEvents.decode(message, EventType.AUGMENTATION_REQUESTED);
            if (event.type() != EventType.AUGMENTATION_REQUESTED) {
                throw new EventDecodingException("Event type '" + event.type().type() + "' does not belong on "
                        + Topics.AUGMENTATION_COMMANDS + "; expected " + EventType.AUGMENTATION_REQUESTED.type());
            }
        } catch (EventDecodingException e) {
            LOG.warnf("Dead-lettering %s: %s", IncomingEvents.describe(message), e.getMessage());
            return message.nack(e);
        }
        if (processed.contains(event.id())) {
            LOG.infof("Event %s already processed; %s changes nothing", event.id(), IncomingEvents.describe(message));
            return message.ack();
        }
        if (!jobs.handle(event.id(), event.dataAs(AugmentationRequested.class))) {
            // Interrupted by a shutdown: leave the command unacknowledged so the job resumes after the restart.
            return new CompletableFuture<>();
        }
        processed.record(event.id());
        return message.ack();
    }
}
