package io.tuneforge.registry.messaging;

import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.service.EventChecks;
import io.tuneforge.registry.service.EventOutcome;
import io.tuneforge.registry.service.EventProcessor;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * What both consumers do with a record: decode it, check it, apply it in one transaction, ack. A record that is
 * not a usable event is nacked at once (it lands on the channel's dead-letter topic with the reason in the
 * {@code dead-letter-reason} header); an event that fails to apply is tried {@code tuneforge.registry.events.attempts}
 * times before it is nacked. Either way the consumer carries on with the next record.
 */
@ApplicationScoped
public class EventIngest {

    private static final Logger LOG = Logger.getLogger(EventIngest.class);

    private final EventProcessor processor;
    private final RegistryConfig config;

    public EventIngest(EventProcessor processor, RegistryConfig config) {
        this.processor = processor;
        this.config = config;
    }

    public CompletionStage<Void> handle(Message<String> message) {
        EventEnvelope<EventPayload> event;
        try {
            event = IncomingEvents.decode(message, null);
            EventChecks.requireUsable(event);
        } catch (EventDecodingException e) {
            LOG.warnf("Dead-lettering record %s: %s", IncomingEvents.describe(message), e.getMessage());
            return message.nack(e);
        }
        int attempts = Math.max(1, config.events().attempts());
        long backoffMillis = config.events().retryBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                EventOutcome outcome = processor.process(event);
                LOG.debugf("Event %s (%s, subject %s): %s", event.id(), event.type().type(), event.subject(), outcome);
                return message.ack();
            } catch (RuntimeException e) {
                if (attempt >= attempts) {
                    LOG.errorf("Event %s (%s) from %s could not be applied after %d attempts; dead-lettering it: %s",
                            event.id(), event.type().type(), IncomingEvents.describe(message), attempts, e);
                    return message.nack(new IllegalStateException("Could not apply event " + event.id() + " ("
                            + event.type().type() + ") after " + attempts + " attempts: " + rootMessage(e), e));
                }
                LOG.warnf("Event %s (%s): attempt %d of %d failed, retrying in %d ms: %s", event.id(),
                        event.type().type(), attempt, attempts, backoffMillis, rootMessage(e));
                if (!sleep(backoffMillis)) {
                    return message.nack(new IllegalStateException("Interrupted while retrying event " + event.id(), e));
                }
                backoffMillis *= 2;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
