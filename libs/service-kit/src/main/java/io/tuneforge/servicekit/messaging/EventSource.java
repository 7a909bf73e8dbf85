package io.tuneforge.servicekit.messaging;

import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The CloudEvents {@code source} of this service, {@code /tuneforge/<quarkus.application.name>}, and a factory of
 * envelopes stamped with it.
 */
@ApplicationScoped
public class EventSource {

    private final String source;

    public EventSource(@ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.source = "/tuneforge/" + applicationName;
    }

    public String source() {
        return source;
    }

    /** A new event about {@code payload}: fresh id, now, subject = aggregate id. */
    public <T extends EventPayload> EventEnvelope<T> envelope(T payload) {
        return EventEnvelope.of(source, payload);
    }
}
