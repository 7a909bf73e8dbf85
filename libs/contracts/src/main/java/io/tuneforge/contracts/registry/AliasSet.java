package io.tuneforge.contracts.registry;

import io.tuneforge.contracts.event.EventPayload;

/** An alias such as {@code champion} now points at {@code version} of {@code modelName} (unique per model). */
public record AliasSet(int schemaVersion, String modelName, String alias, int version) implements EventPayload {

    @Override
    public String aggregateId() {
        return modelName;
    }
}
