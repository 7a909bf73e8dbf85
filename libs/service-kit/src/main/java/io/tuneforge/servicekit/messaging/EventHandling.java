package io.tuneforge.servicekit.messaging;

import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The body every consumer of the platform runs around its own handling, so that no service repeats it:
 * <ol>
 *   <li>decode the record ({@link IncomingEvents#decode}); a command topic also checks that the event's type is the
 *       one command it carries;</li>
 *   <li>an unreadable record, or one of the wrong type, is nacked: with {@code failure-strategy=dead-letter-queue} it
 *       lands in {@code <topic>.dlq} with the reason in {@code dead-letter-reason}, and the consumer carries on;</li>
 *   <li>an event id in the {@link ProcessedEvents} log is acknowledged without effect (idempotency);</li>
 *   <li>otherwise the handler runs; when it returns true the id is recorded and the record acknowledged. When it
 *       returns false (interrupted by a shutdown) the record is left unacknowledged, so it is delivered again after
 *       the restart. An exception from the handler propagates, and SmallRye nacks the record (dead-letter topic).</li>
 * </ol>
 * The SmallRye {@code @Incoming} method stays in each service (channel names are the service's own):
 * <pre>{@code
 * @Incoming("dataset-commands") @Blocking
 * public CompletionStage<Void> onCommand(Message<String> message) {
 *     return EventHandling.command(message, EventType.DATASET_IMPORT_REQUESTED, processed, event -> {
 *         imports.handle(event.id(), event.dataAs(DatasetImportRequested.class));
 *         return true;
 *     });
 * }
 * }</pre>
 */
public final class EventHandling {

    private static final Logger LOG = Logger.getLogger(EventHandling.class);

    /** What a consumer does with a decoded event it has not processed before. */
    @FunctionalInterface
    public interface Handler {

        /** @return true when the event's effects are done; false to leave the record unacknowledged */
        boolean handle(EventEnvelope<EventPayload> event);
    }

    private EventHandling() {
    }

    /**
     * A record of a command topic: a CloudEvent of type {@code command}, or its data as plain JSON (then its id is
     * {@code topic-partition-offset}). Any other type is dead-lettered, naming the type that belongs there.
     */
    public static CompletionStage<Void> command(Message<String> message, EventType command, ProcessedEvents processed,
            Handler handler) {
        EventEnvelope<EventPayload> event;
        try {
            event = IncomingEvents.decode(message, command);
            if (event.type() != command) {
                throw new EventDecodingException("Event type '" + event.type().type() + "' does not belong on "
                        + command.topic() + "; expected " + command.type());
            }
        } catch (EventDecodingException e) {
            return deadLetter(message, e);
        }
        return handleOnce(message, event, processed, handler);
    }

    /** A record of an event topic: CloudEvents only (plain JSON is dead-lettered), any type of the platform. */
    public static CompletionStage<Void> event(Message<String> message, ProcessedEvents processed, Handler handler) {
        EventEnvelope<EventPayload> event;
        try {
            event = IncomingEvents.decode(message, null);
        } catch (EventDecodingException e) {
            return deadLetter(message, e);
        }
        return handleOnce(message, event, processed, handler);
    }

    private static CompletionStage<Void> deadLetter(Message<String> message, EventDecodingException e) {
        LOG.warnf("Dead-lettering %s: %s", IncomingEvents.describe(message), e.getMessage());
        return message.nack(e);
    }

    private static CompletionStage<Void> handleOnce(Message<String> message, EventEnvelope<EventPayload> event,
            ProcessedEvents processed, Handler handler) {
        if (processed.contains(event.id())) {
            LOG.infof("Event %s already processed; %s changes nothing", event.id(), IncomingEvents.describe(message));
            return message.ack();
        }
        if (!handler.handle(event)) {
            return new CompletableFuture<>();
        }
        processed.record(event.id());
        return message.ack();
    }
}
