package io.tuneforge.registry.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.contracts.training.TrainingProgress;
import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.service.EventChecks;
import io.tuneforge.registry.service.EventOutcome;
import io.tuneforge.registry.service.EventProcessor;
import io.tuneforge.registry.service.RegistryChanged;
import io.tuneforge.registry.service.RunStatusTransitions;
import io.tuneforge.registry.service.VersionRegistrar;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
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
    private final VersionRegistrar registrar;
    private final Event<RegistryChanged> changes;
    private volatile boolean stopping;

    public EventIngest(EventProcessor processor, RegistryConfig config, VersionRegistrar registrar,
                       Event<RegistryChanged> changes) {
        this.processor = processor;
        this.config = config;
        this.registrar = registrar;
        this.changes = changes;
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
            if (stopping) {
                return leaveForRedelivery(event, message);
            }
            try {
                EventOutcome outcome = processor.process(event);
                LOG.debugf("Event %s (%s, subject %s): %s", event.id(), event.type().type(), event.subject(), outcome);
                if (outcome == EventOutcome.APPLIED) {
                    afterCommit(event);
                }
                return message.ack();
            } catch (RuntimeException e) {
                if (stopping) {
                    return leaveForRedelivery(event, message);
                }
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

    /** The service is stopping: neither ack nor dead-letter, so the record is delivered again after the restart. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }

    private CompletionStage<Void> leaveForRedelivery(EventEnvelope<EventPayload> event, Message<String> message) {
        LOG.infof("Stopping: event %s from %s is left for redelivery", event.id(), IncomingEvents.describe(message));
        return new CompletableFuture<>();
    }

    /** What follows a committed event: live views learn of the run's change; a new version gets checked. */
    private void afterCommit(EventEnvelope<EventPayload> event) {
        try {
            if (RunStatusTransitions.impliedBy(event.type()).isPresent()) {
                Long step = event.data() instanceof TrainingProgress p ? p.step() : null;
                changes.fire(new RegistryChanged(event.data().aggregateId(), step));
            }
            if (event.data() instanceof TrainingCompleted) {
                registrar.nudge();
            }
        } catch (RuntimeException e) {
            LOG.warnf("Event %s is applied, but telling the live views failed: %s", event.id(), e.getMessage());
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
