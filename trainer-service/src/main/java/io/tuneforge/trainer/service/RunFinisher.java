package io.tuneforge.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.EventType;
import io.tuneforge.contracts.training.TrainingErrorCode;
import io.tuneforge.contracts.training.TrainingStatus;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.trainer.coordination.RunEntry;
import io.tuneforge.trainer.coordination.RunLedger;
import io.tuneforge.trainer.coordination.RunLog;
import io.tuneforge.trainer.coordination.RunLogEntry;
import io.tuneforge.trainer.messaging.TrainingEventPublisher;
import io.tuneforge.trainer.metrics.TrainerMetrics;
import io.tuneforge.trainer.persistence.RunRepository;
import io.tuneforge.trainer.persistence.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Ends a run exactly once. The terminal event (Completed, Failed or Cancelled) is published only by the replica
 * whose {@code finished} record the run log accepted — which it does only for the current holder of the run, once:
 * <ol>
 *   <li>the holder writes {@code finished} (with the terminal event in it) and waits for the verdict;</li>
 *   <li>accepted: {@code state.json} gets the final status, the event goes out, {@code published} is written;
 *       rejected (another replica claimed the run meanwhile): nothing is written or sent.</li>
 * </ol>
 * The event id is derived from the run id, so if a finisher dies between its verdict and {@code published}, any
 * replica sends the stored event again under the same id ({@link #republish}); consumers that dedupe by event id
 * see it once.
 */
@ApplicationScoped
public class RunFinisher {

    private static final Logger LOG = Logger.getLogger(RunFinisher.class);

    private final RunLog log;
    private final RunRepository runs;
    private final TrainingEventPublisher events;
    private final TrainerMetrics metrics;
    private final TrainerConfig config;

    public RunFinisher(RunLog log, RunRepository runs, TrainingEventPublisher events, TrainerMetrics metrics,
                       TrainerConfig config) {
        this.log = log;
        this.runs = runs;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Finishes {@code run} with {@code status} and its terminal event {@code payload}.
     *
     * @param code  the error code for a failure, else null
     * @param why   the message for {@code state.json}
     * @param step  steps done
     * @return whether this replica finished it (false when the run was lost to another replica)
     */
    public boolean finish(ActiveRun run, TrainingStatus status, EventPayload payload, TrainingErrorCode code,
                          String why, long step) {
        if (run.isLost()) {
            LOG.warnf("Run %s: not publishing %s, the run was lost (%s)", run.runId(), status.wireName(),
                    run.lostReason());
            return false;
        }
        Instant now = now();
        EventEnvelope<EventPayload> event = new EventEnvelope<>(terminalEventId(run.runId()), events.source(),
                EventType.of(payload.getClass()), run.runId(), now, payload);
        RunLedger.Verdict verdict = log.write(RunLogEntry.finished(run.claim(), status, encode(event), now));
        if (!verdict.accepted()) {
            run.lose(verdict.reason());
            LOG.warnf("Run %s: not publishing %s: %s", run.runId(), status.wireName(), verdict.reason());
            return false;
        }
        saveFinalState(run.runId(), status, code, why, step);
        events.publish(event);
        log.write(RunLogEntry.published(run.runId(), config.worker(), now()));
        metrics.finished(status);
        return true;
    }

    /**
     * Ends a run that the run log knows but that was never admitted ({@code state.json} absent: its admission failed
     * after the enqueue record was written). Nothing is published: the requester was told to send it again.
     */
    public void abandon(ActiveRun run, String why) {
        Instant now = now();
        RunLedger.Verdict verdict = log.write(RunLogEntry.finished(run.claim(), TrainingStatus.FAILED, null, now));
        if (verdict.accepted()) {
            log.write(RunLogEntry.published(run.runId(), config.worker(), now()));
            LOG.warnf("Run %s abandoned without an event: %s", run.runId(), why);
        }
    }

    /** Sends the stored terminal event of a run whose finisher died before it said it had (same event id). */
    public void republish(RunEntry run) {
        EventEnvelope<EventPayload> event = decode(run.finishEvent());
        LOG.warnf("Run %s finished as %s at %s but its event was never confirmed; sending event %s again",
                run.runId(), run.status().wireName(), run.finishedAt(), event.id());
        if (runs.findState(run.runId()).map(s -> s.status() != run.status()).orElse(true)) {
            saveFinalState(run.runId(), run.status(), null, "finished by " + run.holder().worker(), -1);
        }
        events.publish(event);
        log.write(RunLogEntry.published(run.runId(), config.worker(), now()));
    }

    private void saveFinalState(String runId, TrainingStatus status, TrainingErrorCode code, String why, long step) {
        Instant now = now();
        RunState state = runs.findState(runId).orElseGet(() -> RunState.queued(runId, null, config.worker(), now));
        runs.saveState(state.finished(status, code, why, step >= 0 ? step : state.step() == null ? 0 : state.step(),
                config.worker(), now));
    }

    /** The one id of a run's terminal event. */
    public static String terminalEventId(String runId) {
        return UUID.nameUUIDFromBytes(("tuneforge-trainer:terminal:" + runId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static JsonNode encode(EventEnvelope<EventPayload> event) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type().type());
        node.put("subject", event.subject());
        node.put("time", event.time().toString());
        node.set("data", Json.mapper().valueToTree(event.data()));
        return node;
    }

    static EventEnvelope<EventPayload> decode(JsonNode node) {
        EventType type = EventType.fromType(node.path("type").asText()).orElseThrow(() -> new IllegalStateException(
                "stored terminal event has unknown type '" + node.path("type").asText() + "'"));
        try {
            EventPayload data = Json.mapper().treeToValue(node.path("data"), type.payloadClass());
            return new EventEnvelope<>(node.path("id").asText(), node.path("source").asText(), type,
                    node.path("subject").asText(), Instant.parse(node.path("time").asText()), data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored terminal event of type " + type.type() + " is unreadable: "
                    + e.getMessage(), e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
