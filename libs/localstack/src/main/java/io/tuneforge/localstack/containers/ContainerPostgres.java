package io.tuneforge.localstack.containers;

import io.tuneforge.localstack.PostgresDatabases;
import io.tuneforge.localstack.PostgresInstance;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL in a container. Untested here: no Docker. */
public final class ContainerPostgres implements PostgresInstance {

    private final PostgreSQLContainer container;

    private ContainerPostgres(PostgreSQLContainer container) {
        this.container = container;
    }

    /** @param image e.g. {@code postgres:16-alpine} */
    public static ContainerPostgres start(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(image).withDatabaseName("postgres");
        container.start();
        return new ContainerPostgres(container);
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432)
                + "/" + PostgresDatabases.checkName(database);
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public String createDatabase(String name) {
        PostgresDatabases.create(jdbcUrl(), username(), password(), name);
        return jdbcUrl(name);
    }

    @Override
    public void close() {
        container.stop();
    }
}
