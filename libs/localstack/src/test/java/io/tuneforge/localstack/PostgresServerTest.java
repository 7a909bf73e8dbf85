package io.tuneforge.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @Test
    void selectsCreatesATableAndKeepsItAcrossARestart(@TempDir Path dir) throws Exception {
        String url;
        try (PostgresServer pg = PostgresServer.builder().dataDir(dir).start()) {
            assertEquals(1, queryInt(pg.jdbcUrl(), pg, "SELECT 1"));
            url = pg.createDatabase("registry");
            assertEquals(url, pg.createDatabase("registry"), "creating an existing database is a no-op");
            assertTrue(url.startsWith("jdbc:postgresql://127.0.0.1:") && url.endsWith("/registry"), url);
            try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE runs (id text PRIMARY KEY, steps int NOT NULL)");
                s.execute("INSERT INTO runs VALUES ('r1', 42)");
            }
        }
        try (PostgresServer restarted = PostgresServer.builder().dataDir(dir).start()) {
            assertEquals(42, queryInt(restarted.jdbcUrl("registry"), restarted, "SELECT steps FROM runs WHERE id = 'r1'"));
        }
    }

    @Test
    void databaseNamesThatWouldNeedQuotingAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresDatabases.checkName("Robert'); DROP TABLE runs;--"));
        assertTrue(e.getMessage().contains("Robert"), e.getMessage());
    }

    private static int queryInt(String url, PostgresServer pg, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "one row from " + sql);
            return rs.getInt(1);
        }
    }
}
