package io.tuneforge.registry.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.tuneforge.contracts.Json;
import jakarta.inject.Singleton;

/** The REST API writes JSON the way events do: ISO times, no null fields, unknown fields ignored on read. */
@Singleton
public class ContractsJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }
}
