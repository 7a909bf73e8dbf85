package io.tuneforge.data.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetImportRequested;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.data.service.DatasetImport;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tuneforge.dataset.commands}: {@code io.tuneforge.dataset.import-requested} as a CloudEvent, or its
 * data as plain JSON. Unreadable records go to {@code tuneforge.dataset.commands.dlq} with the reason; an event id
 * seen before is acknowledged without effect.
 */
@ApplicationScoped
public class DatasetCommandConsumer {

    private static final Logger LOG = Logger.getLogger(DatasetCommandConsumer.class);

    private final DatasetImport imports;
    private final ProcessedEvents processed;

    public DatasetCommandConsumer(DatasetImport imports, ProcessedEvents processed) {
        this.imports = imports;
        this.processed = processed;
    }

    @Incoming("dataset-commands")
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> message) {
        EventEnvelope<EventPayload> event;
        try {
            event = IncomingEvents.decode(message, EventType.DATASET_IMPORT_REQUESTED);
            if (event.type() != EventType.DATASET_IMPORT_REQUESTED) {
                throw new EventDecodingException("Event type '" + event.type().type() + "' does not belong on "
                        + Topics.DATASET_COMMANDS + "; expected " + EventType.DATASET_IMPORT_REQUESTED.type());
            }
        } catch (EventDecodingException e) {
            LOG.warnf("Dead-lettering %s: %s", IncomingEvents.describe(message), e.getMessage());
            return message.nack(e);
        }
        if (processed.contains(event.id())) {
            LOG.infof("Event %s already processed; %s changes nothing", event.id(), IncomingEvents.describe(message));
            return message.ack();
        }
        imports.handle(event.id(), event.dataAs(DatasetImportRequested.class));
        processed.record(event.id());
        return message.ack();
    }
}
