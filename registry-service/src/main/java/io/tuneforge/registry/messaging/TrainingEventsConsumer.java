package io.tuneforge.registry.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Runs and their timelines, from {@code tuneforge.training.events} (channel {@code training-events}). */
@ApplicationScoped
public class TrainingEventsConsumer {

    private final EventIngest ingest;

    public TrainingEventsConsumer(EventIngest ingest) {
        this.ingest = ingest;
    }

    @Incoming("training-events")
    @Blocking
    public CompletionStage<Void> onTrainingEvent(Message<String> message) {
        return ingest.handle(message);
    }
}
