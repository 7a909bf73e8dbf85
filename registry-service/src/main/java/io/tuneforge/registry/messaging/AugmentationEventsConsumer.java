package io.tuneforge.registry.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Augmentation outcomes, from {@code tuneforge.augmentation.events} (channel {@code augmentation-events}). The
 * augmented dataset version itself arrives as a DatasetPrepared naming its parent; these are recorded as seen.
 */
@ApplicationScoped
public class AugmentationEventsConsumer {

    private final EventIngest ingest;

    public AugmentationEventsConsumer(EventIngest ingest) {
        this.ingest = ingest;
    }

    @Incoming("augmentation-events")
    @Blocking
    public CompletionStage<Void> onAugmentationEvent(Message<String> message) {
        return ingest.handle(message);
    }
}
