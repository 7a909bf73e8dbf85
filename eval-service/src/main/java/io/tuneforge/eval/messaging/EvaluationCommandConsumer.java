package io.tuneforge.eval.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.evaluation.EvaluationRequested;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.eval.service.EvaluationAdmission;
import io.tuneforge.eval.service.EvaluationPlan;
import io.tuneforge.eval.service.EvaluationWorker;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.EventHandling;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tuneforge.evaluation.commands}: {@code io.tuneforge.evaluation.requested} as a CloudEvent, or its
 * data as plain JSON. Unreadable records go to {@code tuneforge.evaluation.commands.dlq} with the reason; an event id
 * seen before is acknowledged without effect. An admitted evaluation runs on the {@link EvaluationWorker} and the
 * record is acknowledged once it has ended (EvaluationCompleted or EvaluationFailed sent).
 */
@ApplicationScoped
public class EvaluationCommandConsumer {

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
        return EventHandling.command(message, EventType.EVALUATION_REQUESTED, processed, event -> {
            EvaluationPlan plan = EvaluationPlan.of(event.dataAs(EvaluationRequested.class));
            if (admission.admit(event.id(), plan)) {
                worker.submit(plan).join();
            }
            return true;
        });
    }
}
