package io.tuneforge.eval.messaging;

import io.smallrye.common.annotation.Blocking;
import io.tuneforge.contracts.cloudevents.CloudEventsKafka;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.EvaluationSettings;
import io.tuneforge.contracts.training.TrainingCompleted;
import io.tuneforge.eval.service.EvaluationAdmission;
import io.tuneforge.eval.service.EvaluationPlan;
import io.tuneforge.eval.service.EvaluationWorker;
import io.tuneforge.servicekit.idempotency.ProcessedEvents;
import io.tuneforge.servicekit.messaging.EventHandling;
import io.tuneforge.servicekit.messaging.IncomingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code tuneforge.training.events} and reacts to {@code io.tuneforge.training.completed} only: every other
 * training event is acknowledged unread (progress events are many). A run whose request turned evaluation off is
 * skipped. Records that are not CloudEvents, or a TrainingCompleted that cannot be read, go to
 * {@code tuneforge.training.events.dlq} with the reason. The run's evaluation runs on the {@link EvaluationWorker};
 * the record is acknowledged once it has ended.
 */
@ApplicationScoped
public class TrainingEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingEventsConsumer.class);

    private final EvaluationAdmission admission;
    private final ProcessedEvents processed;
    private final EvaluationWorker worker;

    public TrainingEventsConsumer(EvaluationAdmission admission, ProcessedEvents processed,
            EvaluationWorker worker) {
        this.admission = admission;
        this.processed = processed;
        this.worker = worker;
    }

    @Incoming("training-events")
    @Blocking
    public CompletionStage<Void> onTrainingEvent(Message<String> message) {
        String type = IncomingEvents.headers(message).get(CloudEventsKafka.H_TYPE);
        if (type != null && !type.equals(EventType.TRAINING_COMPLETED.type())) {
            return message.ack();
        }
        return EventHandling.event(message, processed, event -> {
            TrainingCompleted completed = event.dataAs(TrainingCompleted.class);
            EvaluationSettings settings = completed.request().evaluation();
            if (settings != null && Boolean.FALSE.equals(settings.enabled())) {
                LOG.infof("Run %s completed with evaluation.enabled=false; not evaluating it", completed.runId());
            } else {
                EvaluationPlan plan = EvaluationPlan.of(completed);
                if (admission.admit(event.id(), plan)) {
                    worker.submit(plan).join();
                }
            }
            return true;
        });
    }
}
