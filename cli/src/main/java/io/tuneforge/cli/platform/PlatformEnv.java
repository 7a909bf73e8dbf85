package io.tuneforge.cli.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .tuneforge/platform.env}: what {@code tuneforge up} started, as {@code KEY=VALUE} lines that the CLI's client
 * commands read (PlatformSettings) and a shell can {@code source}. Mode 0600 from its first byte: it holds the S3
 * keys and the registry admin token. Written by {@code up}, deleted by {@code down}.
 */
public record PlatformEnv(Map<String, String> values) {

    public static final String KAFKA_BOOTSTRAP = "TUNEFORGE_KAFKA_BOOTSTRAP";
    public static final String S3_ENDPOINT = "TUNEFORGE_S3_ENDPOINT";
    public static final String S3_REGION = "TUNEFORGE_S3_REGION";
    public static final String S3_BUCKET = "TUNEFORGE_S3_BUCKET";
    public static final String S3_ACCESS_KEY = "TUNEFORGE_S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "TUNEFORGE_S3_SECRET_KEY";
    public static final String REGISTRY_TOKEN = "TUNEFORGE_REGISTRY_TOKEN";
    /** Beyond the clients' contract: what a restarted registry-service needs. */
    public static final String POSTGRES_JDBC_URL = "TUNEFORGE_POSTGRES_JDBC_URL";
    public static final String POSTGRES_USER = "TUNEFORGE_POSTGRES_USER";
    public static final String POSTGRES_PASSWORD = "TUNEFORGE_POSTGRES_PASSWORD";
    public static final String PORT_OFFSET = "TUNEFORGE_PORT_OFFSET";

    /** Values never printed. */
    public static final List<String> SECRETS = List.of(S3_ACCESS_KEY, S3_SECRET_KEY, REGISTRY_TOKEN,
            POSTGRES_PASSWORD);

    public PlatformEnv {
        values = Map.copyOf(values);
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("platform.env has no " + key + "; it was written by another version of"
                    + " tuneforge up: run `tuneforge down` and `tuneforge up` again");
        }
        return v;
    }

    public int portOffset() {
        return Integer.parseInt(values.getOrDefault(PORT_OFFSET, "0"));
    }

    /** The file, or empty when the platform is not up. */
    public static Optional<PlatformEnv> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(new PlatformEnv(values));
    }

    /** Writes the file atomically, readable by its owner only. */
    public void write(Path file) {
        StringBuilder text = new StringBuilder("# Written by `tuneforge up`; deleted by `tuneforge down`. Secrets: keep"
                + " this file to yourself.\n");
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
