package io.tuneforge.localstack.quarkus;

import io.tuneforge.localstack.Component;
import java.util.EnumSet;

/**
 * PostgreSQL only: sets {@code quarkus.datasource.jdbc.url/username/password}.
 * Init args as {@link LocalStackResource}, less the component switches.
 */
public class PostgresResource extends LocalStackResource {

    public PostgresResource() {
        super(EnumSet.of(Component.POSTGRES));
    }
}
