package io.tuneforge.registry.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.servicekit.messaging.OutgoingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes commands to trainer-service on {@code tuneforge.training.commands} (channel {@code training-commands}):
 * TrainingRequested and TrainingCancelRequested, keyed by run id, in CloudEvents binary mode.
 */
@ApplicationScoped
public class TrainingCommands {

    private final MutinyEmitter<String> emitter;

    public TrainingCommands(@Channel("training-commands") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /**
     * Sends the command and waits until the broker has it.
     *
     * @throws RuntimeException when the broker does not take it (within the channel's delivery timeout)
     */
    public void send(EventEnvelope<?> command) {
        emitter.sendMessageAndAwait(OutgoingEvents.message(command));
    }
}
