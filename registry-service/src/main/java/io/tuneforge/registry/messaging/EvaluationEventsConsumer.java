package io.tuneforge.registry.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Base vs tuned evaluations, from {@code tuneforge.evaluation.events} (channel {@code evaluation-events}). */
@ApplicationScoped
public class EvaluationEventsConsumer {

    private final EventIngest ingest;

    public EvaluationEventsConsumer(EventIngest ingest) {
        this.ingest = ingest;
    }

    @Incoming("evaluation-events")
    @Blocking
    public CompletionStage<Void> onEvaluationEvent(Message<String> message) {
        return ingest.handle(message);
    }
}
