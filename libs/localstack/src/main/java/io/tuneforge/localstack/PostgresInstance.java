package io.tuneforge.localstack;

/** A running PostgreSQL server: embedded ({@link PostgresServer}) or a container. */
public interface PostgresInstance extends AutoCloseable {

    /** JDBC URL of the server's default database. */
    String jdbcUrl();

    /** JDBC URL of the named database on this server (which must exist; see {@link #createDatabase}). */
    String jdbcUrl(String database);

    String username();

    String password();

    /**
     * Creates the database unless it exists and returns its JDBC URL.
     *
     * @param name lower-case letters, digits and underscores, starting with a letter or underscore
     */
    String createDatabase(String name);

    @Override
    void close();
}
