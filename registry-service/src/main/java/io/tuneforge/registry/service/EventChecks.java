package io.tuneforge.registry.service;

import io.tuneforge.contracts.cloudevents.EventDecodingException;
import io.tuneforge.contracts.cloudevents.EventEnvelope;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.event.EventPayload;

/**
 * What the registry needs of an event beyond what the codec checks, refused before any database work so that
 * the record goes to the dead-letter topic with a reason instead of failing a transaction.
 */
public final class EventChecks {

    private EventChecks() {
    }

    /** @throws EventDecodingException naming the missing or bad field and the event */
    public static void requireUsable(EventEnvelope<EventPayload> event) {
        EventPayload data = event.data();
        String kind = data.getClass().getSimpleName();
        if (isBlank(data.aggregateId())) {
            throw new EventDecodingException("Expected field '" + aggregateField(event) + "' in " + kind
                    + " (event " + event.id() + "), got none");
        }
        if (data instanceof DatasetPrepared p) {
            if (p.version() < 1) {
                throw new EventDecodingException("Field 'version' of DatasetPrepared (event " + event.id()
                        + ") must be at least 1, got " + p.version());
            }
            if (p.format() == null) {
                throw new EventDecodingException("Expected field 'format' in DatasetPrepared (event " + event.id()
                        + "): instruction, conversation or preference, got none");
            }
            if (p.manifest() == null || isBlank(p.manifest().uri())) {
                throw new EventDecodingException("Expected field 'manifest.uri' in DatasetPrepared (event "
                        + event.id() + "), got none");
            }
        }
    }

    private static String aggregateField(EventEnvelope<EventPayload> event) {
        String type = event.type().type();
        if (type.startsWith("io.tuneforge.training.")) {
            return "runId";
        }
        if (type.startsWith("io.tuneforge.dataset.")) {
            return "datasetId";
        }
        if (type.startsWith("io.tuneforge.evaluation.")) {
            return "evalId";
        }
        if (type.startsWith("io.tuneforge.augmentation.")) {
            return "jobId";
        }
        return "aggregate id";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
