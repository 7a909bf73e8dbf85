package io.tuneforge.registry.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Dataset versions, from {@code tuneforge.dataset.events} (channel {@code dataset-events}). */
@ApplicationScoped
public class DatasetEventsConsumer {

    private final EventIngest ingest;

    public DatasetEventsConsumer(EventIngest ingest) {
        this.ingest = ingest;
    }

    @Incoming("dataset-events")
    @Blocking
    public CompletionStage<Void> onDatasetEvent(Message<String> message) {
        return ingest.handle(message);
    }
}
