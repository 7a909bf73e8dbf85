package io.tuneforge.contracts.cloudevents;

import io.tuneforge.contracts.training.ParsedTrainingRequest;

import java.time.Instant;

/**
 * A record that is a training request, but a bad one: wrong types, unknown values or failed validation. Unlike other
 * decoding failures it must not be dead-lettered: the trainer answers it with {@code TrainingFailed}
 * ({@code INVALID_REQUEST}, the field errors of {@link #parsed()}) under {@link ParsedTrainingRequest#runId()}, or a
 * generated run id when that is null. Consumers that only catch {@link EventDecodingException} still refuse it.
 *
 * @see io.tuneforge.contracts.training.TrainingRequests#parse(com.fasterxml.jackson.databind.JsonNode)
 */
public class InvalidTrainingRequestException extends EventDecodingException {

    private final String eventId;
    private final String source;
    private final Instant time;
    private final transient ParsedTrainingRequest parsed;

    public InvalidTrainingRequestException(String eventId, String source, Instant time, ParsedTrainingRequest parsed) {
        super("Training request " + (parsed.runId() != null ? "'" + parsed.runId() + "' " : "") + "has "
                + parsed.describeErrors());
        this.eventId = eventId;
        this.source = source;
        this.time = time;
        this.parsed = parsed;
    }

    /** The CloudEvents id of the refused request (or the fallback id of a plain JSON record): the idempotency key. */
    public String eventId() {
        return eventId;
    }

    public String source() {
        return source;
    }

    public Instant time() {
        return time;
    }

    /** The run id (when valid), the partly bound request, and every field error. */
    public ParsedTrainingRequest parsed() {
        return parsed;
    }
}
