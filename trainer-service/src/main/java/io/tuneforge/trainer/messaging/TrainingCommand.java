package io.tuneforge.trainer.messaging;

import io.tuneforge.contracts.training.TrainingCancelRequested;

/** One record of {@code tuneforge.training.commands}, read far enough to route it. */
public sealed interface TrainingCommand {

    /** The event id: {@code ce_id}, or {@code topic-partition-offset} for plain JSON. The idempotency key. */
    String eventId();

    /**
     * A training request as raw JSON. It is not bound here: binding would stop at the first type error, and a
     * request deserves an answer naming every bad field ({@code TrainingRequests.parse}).
     */
    record Request(String eventId, String json) implements TrainingCommand {
    }

    /** A cancel of run {@code cancel.runId()}. */
    record Cancel(String eventId, TrainingCancelRequested cancel) implements TrainingCommand {
    }
}
