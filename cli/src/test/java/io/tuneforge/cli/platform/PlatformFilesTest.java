package io.tuneforge.cli.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files behind {@code tuneforge up}: platform.env, and which packaged services are stale. */
class PlatformFilesTest {

    @TempDir
    Path dir;

    @Test
    void platformEnvIsOwnerOnlyAndReadsBackWhatWasWritten() throws IOException {
        Path file = dir.resolve(".tuneforge").resolve("platform.env");
        new PlatformEnv(Map.of(PlatformEnv.S3_SECRET_KEY, "s3cr3t", "TUNEFORGE_DATA_URL", "http://127.0.0.1:8081",
                PlatformEnv.PORT_OFFSET, "7")).write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        PlatformEnv read = PlatformEnv.read(file).orElseThrow();
        assertEquals("s3cr3t", read.get(PlatformEnv.S3_SECRET_KEY));
        assertEquals("http://127.0.0.1:8081", read.get("TUNEFORGE_DATA_URL"));
        assertEquals(7, read.portOffset());
        assertTrue(Files.readString(file).contains("\nTUNEFORGE_DATA_URL=http://127.0.0.1:8081\n"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> read.get("TUNEFORGE_NOPE"));
        assertTrue(e.getMessage().contains("TUNEFORGE_NOPE") && e.getMessage().contains("tuneforge down"),
                e.getMessage());
        assertTrue(PlatformEnv.read(dir.resolve("absent.env")).isEmpty());
    }

    @Test
    void aServiceIsStaleWhenItsOwnOrItsLibsMainSourcesAreNewerThanItsApp() throws IOException {
        write("pom.xml", "<project/>");
        write("libs/contracts/pom.xml", "<project/>");
        write("libs/contracts/src/main/java/C.java", "class C {}");
        write("libs/storage/pom.xml", dependency("contracts", null));
        write("libs/storage/src/main/java/S.java", "class S {}");
        write("libs/localstack/pom.xml", "<project/>");
        write("libs/localstack/src/main/java/L.java", "class L {}");
        write("data-service/pom.xml", dependency("storage", null) + dependency("localstack", "test"));
        write("data-service/src/main/java/D.java", "class D {}");
        Path app = write("data-service/target/quarkus-app/quarkus-run.jar", "jar");
        ageEverything(app);

        assertEquals(Set.of(dir.resolve("data-service"), dir.resolve("libs/storage"), dir.resolve("libs/contracts")),
                ServiceBuild.modules(dir, dir.resolve("data-service"), new java.util.LinkedHashSet<>()),
                "test-scoped libs do not count");
        assertFalse(ServiceBuild.stale(dir).contains("data-service"), "app newer than every source");
        assertTrue(ServiceBuild.stale(dir).contains("eval-service"), "a module with no app is stale");

        touch("libs/localstack/src/main/java/L.java");
        assertFalse(ServiceBuild.stale(dir).contains("data-service"), "a test-scoped lib changed: still fresh");
        touch("libs/contracts/src/main/java/C.java");
        assertTrue(ServiceBuild.stale(dir).contains("data-service"), "a lib two hops away changed");
    }

    private Path write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static String dependency(String lib, String scope) {
        return "<dependency><groupId>io.tuneforge</groupId><artifactId>tuneforge-" + lib + "</artifactId>"
                + (scope == null ? "" : "<scope>" + scope + "</scope>") + "</dependency>\n";
    }

    /** Sources an hour old, the app a minute old. */
    private void ageEverything(Path app) throws IOException {
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, hourAgo);
            }
        }
        Files.setLastModifiedTime(app, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }

    private void touch(String path) throws IOException {
        Files.setLastModifiedTime(dir.resolve(path), FileTime.fromMillis(System.currentTimeMillis()));
    }
}
