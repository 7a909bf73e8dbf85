package io.tuneforge.registry.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.persistence.DatabaseSchema;
import io.tuneforge.registry.persistence.OutboxEventEntity;
import io.tuneforge.registry.persistence.OutboxEventRepository;
import io.tuneforge.registry.service.BackgroundWorker;
import io.tuneforge.servicekit.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Sends the outbox to {@code tuneforge.registry.events} (channel {@code registry-events}), oldest first, one event
 * per transaction: the row is locked ({@code SKIP LOCKED}, so replicas do not send it twice at once), sent, acknowledged
 * by the broker, and marked sent. A broker that is away leaves the rows for the next attempt
 * ({@code tuneforge.registry.outbox.retry-interval}); {@link #nudge()} sends right after a commit that added some.
 * Delivery is at least once with a stable event id, which consumers use to drop a repeat.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxEventRepository rows;
    private final MutinyEmitter<String> emitter;
    private final DatabaseSchema schema;
    private final RegistryConfig config;
    private final BackgroundWorker worker = new BackgroundWorker("registry-outbox-relay", this::drainQuietly);
    private volatile String lastProblem;

    public OutboxRelay(OutboxEventRepository rows, @Channel("registry-events") MutinyEmitter<String> emitter,
                       DatabaseSchema schema, RegistryConfig config) {
        this.rows = rows;
        this.emitter = emitter;
        this.schema = schema;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        worker.start(config.outbox().retryInterval());
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.stop();
    }

    /** Sends what is in the outbox soon, on the relay's thread (several nudges before it runs make one drain). */
    public void nudge() {
        worker.nudge();
    }

    /**
     * Sends every unsent event, in order.
     *
     * @return how many were sent
     * @throws RuntimeException when the broker or the database fails; what was sent before stays sent
     */
    public synchronized int drain() {
        if (!schema.isReady()) {
            return 0;
        }
        int sent = 0;
        while (QuarkusTransaction.requiringNew().call(this::sendOne)) {
            sent++;
        }
        return sent;
    }

    private boolean sendOne() {
        List<OutboxEventEntity> next = rows.lockUnsent(1);
        if (next.isEmpty()) {
            return false;
        }
        OutboxEventEntity row = next.get(0);
        EventEnvelope<EventPayload> event = Outbox.envelope(row);
        emitter.sendMessageAndAwait(OutgoingEvents.message(event));
        row.sentAt = Instant.now();
        LOG.debugf("Sent %s %s (subject %s)", event.type().type(), event.id(), event.subject());
        return true;
    }

    private void drainQuietly() {
        try {
            drain();
            if (lastProblem != null) {
                LOG.infof("Outbox relay sends again");
                lastProblem = null;
            }
        } catch (RuntimeException e) {
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!problem.equals(lastProblem)) {
                LOG.warnf("Outbox relay could not send registry events (%s); retrying every %s", problem,
                        config.outbox().retryInterval());
            }
            lastProblem = problem;
        }
    }
}
