package io.tuneforge.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The data of a CloudEvent. Every payload carries {@code schemaVersion} so that readers can tell old shapes from
 * new ones; unknown fields are ignored on read ({@link io.tuneforge.contracts.Json}).
 */
public interface EventPayload {

    /** Version of the payload's JSON shape; bump when a field changes meaning. */
    int schemaVersion();

    /** The aggregate the event is about (run id, dataset id, evaluation id, model name): the Kafka record key and the CloudEvents subject. */
    @JsonIgnore
    String aggregateId();
}
