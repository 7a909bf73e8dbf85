package io.tuneforge.registry.health;

import io.tuneforge.registry.persistence.DatabaseSchema;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** "Registry schema": UP with the schema version once migrated; DOWN with the reason until then. */
@Readiness
@ApplicationScoped
public class DatabaseSchemaHealthCheck implements HealthCheck {

    public static final String NAME = "Registry schema";

    private final DatabaseSchema schema;

    public DatabaseSchemaHealthCheck(DatabaseSchema schema) {
        this.schema = schema;
    }

    @Override
    public HealthCheckResponse call() {
        if (schema.isReady()) {
            return HealthCheckResponse.named(NAME).up().withData("version", schema.version()).build();
        }
        return HealthCheckResponse.named(NAME).down()
                .withData("reason", "PostgreSQL schema not migrated: " + schema.problem()
                        + "; check quarkus.datasource.jdbc.url and that PostgreSQL is up. Events wait until it is.")
                .build();
    }
}
