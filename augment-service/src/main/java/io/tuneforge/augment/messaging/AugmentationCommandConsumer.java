package io.tuneforge.augment.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.augment.service.AugmentationJobs;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.EventHandling;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

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

    private final AugmentationJobs jobs;
    private final ProcessedEvents processed;

    public AugmentationCommandConsumer(AugmentationJobs jobs, ProcessedEvents processed) {
        this.jobs = jobs;
        this.processed = processed;
    }

    @Incoming("augmentation-commands")
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> message) {
        // false = interrupted by a shutdown: the command stays unacknowledged, so the job resumes after the restart
        return EventHandling.command(message, EventType.AUGMENTATION_REQUESTED, processed,
                event -> jobs.handle(event.id(), event.dataAs(AugmentationRequested.class)));
    }
}
