package io.tuneforge.data.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.dataset.DatasetImportRequested;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.data.service.DatasetImport;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.EventHandling;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tuneforge.dataset.commands}: {@code io.tuneforge.dataset.import-requested} as a CloudEvent, or its
 * data as plain JSON. Unreadable records go to {@code tuneforge.dataset.commands.dlq} with the reason; an event id
 * seen before is acknowledged without effect.
 */
@ApplicationScoped
public class DatasetCommandConsumer {

    private final DatasetImport imports;
    private final ProcessedEvents processed;

    public DatasetCommandConsumer(DatasetImport imports, ProcessedEvents processed) {
        this.imports = imports;
        this.processed = processed;
    }

    @Incoming("dataset-commands")
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> message) {
        return EventHandling.command(message, EventType.DATASET_IMPORT_REQUESTED, processed, event -> {
            imports.handle(event.id(), event.dataAs(DatasetImportRequested.class));
            return true;
        });
    }
}
