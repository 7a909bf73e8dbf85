package io.tuneforge.eval.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.eval.service.EvaluationAdmission;
import io.tuneforge.eval.service.EvaluationPlan;
import io.tuneforge.eval.service.EvaluationWorker;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tuneforge.evaluation.commands}: {@code io.tuneforge.evaluation.requested} as a CloudEvent, or its
 * data as plain JSON. Unreadable records go to {@code tuneforge.evaluation.commands.dlq} with the reason; an event id
 * seen before is acknowledged without effect. An admitted evaluation runs on the {@link EvaluationWorker} and the
 * record is acknowledged once it has ended (EvaluationCompleted or EvaluationFailed sent).
 */
@ApplicationScoped
public class EvaluationCommandConsumer {

    private static final Logger LOG = Logger.getLogger(EvaluationCommandConsumer.class);

    private final EvaluationAdmission admission;
    private final ProcessedEvents processed;
    private final EvaluationWorker worker;

    public EvaluationCommandConsumer(EvaluationAdmission admission, ProcessedEvents processed,
            EvaluationWorker worker) {
        this.admission = admission;
        this.processed = processed;
        this.worker = worker;
    }

    @Incoming("evaluation-commands")
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> message) {
        EventEnvelope<EventPayload> event;
        try {
            event = IncomingEvents.decode(message, EventType.EVALUATION_REQUESTED);
            if (event.type() != EventType.EVALUATION_REQUESTED) {
                throw new EventDecodingException("Event type '" + event.type().type() + "' does not belong on "
                        + Topics.EVALUATION_COMMANDS + "; expected " + EventType.EVALUATION_REQUESTED.type());
            }
        } catch (EventDecodingException e) {
            LOG.warnf("Dead-lettering %s: %s", IncomingEvents.describe(message), e.getMessage());
            return message.nack(e);
        }
        if (processed.contains(event.id())) {
            LOG.infof("Event %s already processed; %s changes nothing", event.id(), IncomingEvents.describe(message));
            return message.ack();
        }
        EvaluationPlan plan = EvaluationPlan.of(event.dataAs(EvaluationRequested.class));
        if (admission.admit(event.id(), plan)) {
            worker.submit(plan).join();
        }
        processed.record(event.id());
        return message.ack();
    }
}
