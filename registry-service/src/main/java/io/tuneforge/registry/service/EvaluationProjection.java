package io.tuneforge.registry.service;

import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.evaluation.EvaluationCompleted;
import io.tuneforge.contracts.evaluation.EvaluationFailed;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.registry.persistence.EvaluationEntity;
import io.tuneforge.registry.persistence.EvaluationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;

/**
 * Records base vs tuned evaluations from EvaluationCompleted and EvaluationFailed; runs inside the event's
 * transaction. An evaluation id is recorded once: a second outcome for the same id (another event id) is ignored
 * with a warning, so the first report stays what the registry shows.
 */
@ApplicationScoped
public class EvaluationProjection {

    private static final Logger LOG = Logger.getLogger(EvaluationProjection.class);

    private final EvaluationRepository evaluations;

    public EvaluationProjection(EvaluationRepository evaluations) {
        this.evaluations = evaluations;
    }

    /** @return true when the evaluation was recorded now */
    public boolean apply(String eventId, Instant time, EventPayload data) {
        String evalId = data.aggregateId();
        EvaluationEntity existing = evaluations.findById(evalId);
        if (existing != null) {
            LOG.warnf("Evaluation %s was recorded as %s by event %s; event %s is ignored", evalId, existing.status,
                    existing.eventId, eventId);
            return false;
        }
        EvaluationEntity e = new EvaluationEntity();
        e.evalId = evalId;
        e.eventId = eventId;
        e.createdAt = time;
        if (data instanceof EvaluationCompleted c) {
            e.runId = c.runId();
            e.status = EvaluationEntity.COMPLETED;
            e.metrics = Json.write(c.metrics() == null ? Map.of() : c.metrics());
            e.reportUri = c.report() == null ? null : c.report().uri();
            e.samplesUri = c.samples() == null ? null : c.samples().uri();
            e.samplesEvaluated = c.samplesEvaluated();
        } else if (data instanceof EvaluationFailed f) {
            e.runId = f.runId();
            e.status = EvaluationEntity.FAILED;
            e.errorCode = f.errorCode();
            e.errorMessage = f.message();
        } else {
            throw new IllegalArgumentException("Event " + eventId + " carries " + data.getClass().getSimpleName()
                    + ", not EvaluationCompleted or EvaluationFailed");
        }
        evaluations.persist(e);
        return true;
    }
}
