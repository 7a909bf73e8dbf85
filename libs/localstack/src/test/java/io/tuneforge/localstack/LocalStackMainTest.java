package io.tuneforge.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LocalStackMainTest {

    @Test
    void printsOneJsonLineWithTheAddressesOfWhatItStarted(@TempDir Path dir) throws Exception {
        LocalStackMain main = new LocalStackMain();
        new CommandLine(main).parseArgs("--services", "postgres", "--postgres-port", "0", "--data-dir", dir.toString(),
                "--database", "registry");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LocalStack stack = main.start(new PrintStream(out, true, StandardCharsets.UTF_8), Map.of())) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, printed.lines().count(), printed);
            JsonNode line = new ObjectMapper().readTree(printed);
            assertFalse(line.has("kafka"), printed);
            assertFalse(line.has("s3"), printed);
            String url = line.path("postgres").path("jdbcUrl").asText();
            assertTrue(url.endsWith("/registry"), printed);
            assertEquals(dir.toAbsolutePath().toString(), line.path("dataDir").asText());
            try (Connection c = DriverManager.getConnection(url, line.path("postgres").path("username").asText(),
                    line.path("postgres").path("password").asText())) {
                assertTrue(c.isValid(5));
            }
            assertTrue(stack.has(Component.POSTGRES) && !stack.has(Component.KAFKA));
        }
        assertTrue(Files.isDirectory(dir.resolve("postgres")), "data stays in DIR/postgres");
    }

    @Test
    void badArgumentsAreReportedWithoutStartingAnything() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new LocalStackMain()).setErr(new PrintWriter(err)).execute("--kafka-port", "ninety");
        assertEquals(2, code);
        assertTrue(err.toString().contains("ninety"), err.toString());

        LocalStackMain main = new LocalStackMain();
        new CommandLine(main).parseArgs("--services", "kafka,redis");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> main.start(System.out, Map.of()));
        assertTrue(e.getMessage().contains("'redis'"), e.getMessage());

        LocalStackMain halfCredentials = new LocalStackMain();
        new CommandLine(halfCredentials).parseArgs("--services", "s3");
        IllegalArgumentException creds = assertThrows(IllegalArgumentException.class,
                () -> halfCredentials.start(System.out, Map.of(LocalStackMain.ACCESS_KEY_ENV, "AK")));
        assertTrue(creds.getMessage().contains(LocalStackMain.SECRET_KEY_ENV), creds.getMessage());
    }
}
