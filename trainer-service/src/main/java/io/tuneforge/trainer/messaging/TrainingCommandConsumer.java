package io.tuneforge.trainer.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import io.tuneforge.trainer.service.RunAdmission;
import io.tuneforge.trainer.service.RunCancellation;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tuneforge.training.commands}. A record that cannot be read is nacked: it goes to
 * {@code tuneforge.training.commands.dlq} with the reason in header {@code dead-letter-reason}, and the consumer
 * carries on with the next record. An event id seen before is acknowledged without effect.
 */
@ApplicationScoped
public class TrainingCommandConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingCommandConsumer.class);

    private final RunAdmission admission;
    private final RunCancellation cancellation;
    private final ProcessedEvents processed;

    public TrainingCommandConsumer(RunAdmission admission, RunCancellation cancellation, ProcessedEvents processed) {
        this.admission = admission;
        this.cancellation = cancellation;
        this.processed = processed;
    }

    @Incoming("training-commands")
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> message) {
        TrainingCommand command;
        try {
            command = TrainingCommandReader.read(message);
        } catch (EventDecodingException e) {
            LOG.warnf("Dead-lettering %s: %s", IncomingEvents.describe(message), e.getMessage());
            return message.nack(e);
        }
        if (processed.contains(command.eventId())) {
            LOG.infof("Event %s already processed; %s changes nothing", command.eventId(),
                    IncomingEvents.describe(message));
            return message.ack();
        }
        if (command instanceof TrainingCommand.Request r) {
            admission.admit(r.eventId(), r.json());
        } else if (command instanceof TrainingCommand.Cancel c) {
            cancellation.cancel(c.eventId(), c.cancel());
        }
        processed.record(command.eventId());
        return message.ack();
    }
}
