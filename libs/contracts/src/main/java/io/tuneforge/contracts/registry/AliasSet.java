package io.tuneforge.contracts.registry;

import io.tuneforge.contracts.event.EventPayload;
import io.tuneforge.contracts.event.Required;

/** An alias such as {@code champion} now points at {@code version} of {@code modelName} (unique per model). */
public record AliasSet(int schemaVersion, @Required String modelName, @Required String alias, @Required int version) implements EventPayload {

    @Override
    public String aggregateId() {
        return modelName;
    }
}
