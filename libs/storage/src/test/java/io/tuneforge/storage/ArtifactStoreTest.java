package io.tuneforge.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.tuneforge.localstack.S3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real S3 server (S3Proxy from tuneforge-localstack), one per class. */
class ArtifactStoreTest {

    private static final int MIB = 1024 * 1024;

    private static S3Server s3;
    private static ArtifactStore store;

    @BeforeAll
    static void startServerAndCreateBucket() {
        s3 = S3Server.start();
        store = new ArtifactStore(new StorageSettings(s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region(), "tuneforge"));
        store.ensureBucket();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @Test
    void ensureBucketIsIdempotentAndAMissingBucketIsNamed() {
        store.ensureBucket();
        assertTrue(store.list("", false).stream().allMatch(o -> o.key() != null));

        ArtifactStore other = new ArtifactStore(store.settings().withBucket("not-created"));
        NoSuchObjectException e = assertThrows(NoSuchObjectException.class, () -> other.getBytes("a.json"));
        assertTrue(e.getMessage().contains("s3://not-created/a.json") && e.getMessage().contains("ensureBucket"),
                e.getMessage());
    }

    @Test
    void putsFourMebibytesOfKnownSizeWithTheirSha256() throws Exception {
        byte[] bytes = random(4 * MIB, 1);
        ObjectInfo put = store.put("t/four.bin", new ByteArrayInputStream(bytes), bytes.length, null);

        assertEquals(Sha256.of(bytes), put.sha256());
        assertEquals(bytes.length, put.size());
        assertEquals(ContentTypes.OCTET_STREAM, put.contentType());
        ObjectInfo stat = store.stat("t/four.bin").orElseThrow();
        assertEquals(put, stat);
        assertArrayEquals(bytes, store.getBytes("t/four.bin"));
    }

    @Test
    void putsFortyMebibytesOfUnknownSizeAsMultipartAndReadsThemBack() throws Exception {
        long size = 40L * MIB;
        List<String> partUploads = new CopyOnWriteArrayList<>();
        OkHttpClient counting = new OkHttpClient.Builder().addInterceptor(chain -> {
            Request request = chain.request();
            if ("PUT".equals(request.method()) && request.url().queryParameter("partNumber") != null) {
                partUploads.add(request.url().queryParameter("partNumber"));
            }
            return chain.proceed(request);
        }).build();
        ArtifactStore watched = new ArtifactStore(store.settings(), new ObjectMapper(), counting);
        MessageDigest expected = Sha256.newDigest();
        try (InputStream source = new DigestInputStream(new PatternStream(size), expected)) {
            ObjectInfo put = watched.put("t/forty.bin", source, -1, "application/octet-stream");
            assertEquals(Sha256.hex(expected), put.sha256());
            assertEquals(size, put.size());
        }
        assertEquals(List.of("1", "2", "3"), partUploads, "40 MiB go up as three parts of at most 16 MiB");
        MessageDigest read = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(store.get("t/forty.bin"), read)) {
            assertEquals(size, in.transferTo(OutputStream.nullOutputStream()));
        }
        assertEquals(store.stat("t/forty.bin").orElseThrow().sha256(), Sha256.hex(read));

        byte[] range;
        try (InputStream in = store.get("t/forty.bin", 17L * MIB + 3, 100)) {
            range = in.readAllBytes();
        }
        byte[] want = new byte[100];
        try (InputStream pattern = new PatternStream(size)) {
            pattern.skipNBytes(17L * MIB + 3);
            pattern.readNBytes(want, 0, 100);
        }
        assertArrayEquals(want, range, "ranged get returns exactly the requested bytes");
    }

    @Test
    void aStreamShorterThanItsDeclaredSizeIsRefused() {
        StorageException e = assertThrows(StorageException.class,
                () -> store.put("t/short.bin", new ByteArrayInputStream(new byte[10]), 20, null));
        assertTrue(e.getMessage().contains("ended after 10 bytes") && e.getMessage().contains("given as 20"), e.getMessage());
        assertFalse(store.exists("t/short.bin"));

        StorageException large = assertThrows(StorageException.class,
                () -> store.put("t/short-large.bin", new PatternStream(9L * MIB), 10L * MIB, null));
        assertTrue(large.getMessage().contains("given as " + 10L * MIB), large.getMessage());
    }

    @Test
    void listsRecursivelyAndByLevel() {
        for (String key : List.of("ds/d1/v1/train.jsonl", "ds/d1/v1/manifest.json", "ds/d1/v2/train.jsonl", "ds/top.json")) {
            store.putBytes(key, key.getBytes(StandardCharsets.UTF_8), null);
        }
        assertEquals(List.of("ds/d1/v1/manifest.json", "ds/d1/v1/train.jsonl", "ds/d1/v2/train.jsonl", "ds/top.json"),
                store.list("ds/", true).stream().map(ObjectInfo::key).toList());
        List<ObjectInfo> level = store.list("ds/", false);
        assertEquals(List.of("ds/d1/", "ds/top.json"), level.stream().map(ObjectInfo::key).toList());
        assertTrue(level.get(0).isPrefix());
        assertEquals(11, level.get(1).size());
        assertNotNull(level.get(1).lastModified());
    }

    @Test
    void publishesADirectoryManifestLastAndDownloadsItWhole(@TempDir Path tmp) throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 64}");
        Files.write(model.resolve("model.safetensors"), random(3 * MIB, 2));
        Files.createDirectories(model.resolve("tokenizer"));
        Files.writeString(model.resolve("tokenizer/tokenizer.json"), "{\"model\": {}}");
        Files.writeString(model.resolve("manifest.json"), "{\"files\": 3}");

        List<ObjectInfo> published = store.publish(model, "models/tiny", "manifest.json");
        assertEquals(List.of("models/tiny/config.json", "models/tiny/model.safetensors",
                "models/tiny/tokenizer/tokenizer.json", "models/tiny/manifest.json"),
                published.stream().map(ObjectInfo::key).toList(), "manifest goes up last");
        assertEquals("application/json", store.stat("models/tiny/config.json").orElseThrow().contentType());

        Path copy = tmp.resolve("copy");
        List<ObjectInfo> downloaded = store.download("models/tiny/", copy);
        assertEquals(4, downloaded.size());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer/tokenizer.json", "manifest.json")) {
            assertArrayEquals(Files.readAllBytes(model.resolve(file)), Files.readAllBytes(copy.resolve(file)), file);
        }
        try (var left = Files.list(copy)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }

        StorageException noManifest = assertThrows(StorageException.class,
                () -> store.publish(model, "models/other", "missing.json"));
        assertTrue(noManifest.getMessage().contains("'missing.json'"), noManifest.getMessage());
        assertFalse(store.exists("models/other/config.json"), "nothing is uploaded when the manifest is missing");
        assertThrows(NoSuchObjectException.class, () -> store.download("models/absent/", tmp.resolve("none")));
    }

    @Test
    void presignedGetWorksWithAPlainHttpClient() throws Exception {
        byte[] body = "{\"loss\": 0.5}".getBytes(StandardCharsets.UTF_8);
        store.putBytes("evals/e1/report.json", body, "application/json");
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(store.presignedGet("evals/e1/report.json",
                Duration.ofMinutes(5))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertArrayEquals(body, ok.body());

        HttpResponse<Void> unsigned = http.send(HttpRequest.newBuilder(
                java.net.URI.create(s3.endpoint() + "/tuneforge/evals/e1/report.json")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(403, unsigned.statusCode(), "without the signature the object is private");

        assertThrows(IllegalArgumentException.class, () -> store.presignedGet("evals/e1/report.json", Duration.ofDays(8)));
    }

    @Test
    void deletesObjectsAndPrefixes() {
        store.putBytes("runs/r9/state.json", new byte[] {'{', '}'}, "application/json");
        store.putBytes("runs/r9/checkpoints/step-1/a.bin", new byte[] {1}, null);
        store.putBytes("runs/r9/checkpoints/step-2/a.bin", new byte[] {2}, null);
        store.putBytes("runs/r90/keep.json", new byte[] {3}, null);

        store.delete("runs/r9/state.json");
        assertFalse(store.exists("runs/r9/state.json"));
        store.delete("runs/r9/state.json"); // absent: no error

        assertEquals(2, store.deletePrefix("runs/r9"));
        assertTrue(store.list("runs/r9/", true).isEmpty());
        assertTrue(store.exists("runs/r90/keep.json"), "a sibling sharing the name start survives");
        assertEquals(0, store.deletePrefix("runs/r9/"));
        assertThrows(IllegalArgumentException.class, () -> store.deletePrefix(""));
    }

    @Test
    void jsonRoundTripIgnoresUnknownFields() {
        Instant now = Instant.parse("2026-11-29T10:15:30Z");
        ObjectInfo written = store.putJson("runs/j1/state.json", new RunState("r1", 12, now));
        assertEquals("application/json", written.contentType());
        assertEquals(new RunState("r1", 12, now), store.getJson("runs/j1/state.json", RunState.class));
        assertTrue(new String(store.getBytes("runs/j1/state.json"), StandardCharsets.UTF_8)
                .contains("\"updatedAt\":\"2026-11-29T10:15:30Z\""), "times are ISO-8601 strings");

        store.putBytes("runs/j2/state.json", "{\"runId\":\"r2\",\"step\":3,\"future\":true}".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(new RunState("r2", 3, null), store.getJson("runs/j2/state.json", RunState.class));
    }

    @Test
    void anObjectWhoseBytesDoNotMatchItsRecordedSha256IsRejected(@TempDir Path tmp) throws Exception {
        byte[] body = "tampered".getBytes(StandardCharsets.UTF_8);
        MinioClient raw = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey())
                .region("us-east-1").build();
        raw.putObject(PutObjectArgs.builder().bucket("tuneforge").object("t/tampered.bin")
                .stream(new ByteArrayInputStream(body), body.length, -1)
                .userMetadata(Map.of("sha256", Sha256.of("original".getBytes(StandardCharsets.UTF_8)))).build());

        StorageException get = assertThrows(StorageException.class, () -> store.getBytes("t/tampered.bin"));
        assertTrue(get.getMessage().contains("sha256 mismatch"), get.getMessage());
        Path target = tmp.resolve("tampered.bin");
        StorageException download = assertThrows(StorageException.class, () -> store.downloadFile("t/tampered.bin", target));
        assertTrue(download.getMessage().contains("sha256 mismatch"), download.getMessage());
        assertFalse(Files.exists(target), "a file that fails its check never appears");
    }

    @Test
    void errorsNameTheOperationAndObject() {
        NoSuchObjectException missing = assertThrows(NoSuchObjectException.class, () -> store.getBytes("t/nothing.json"));
        assertEquals("get", missing.operation());
        assertTrue(missing.getMessage().contains("s3://tuneforge/t/nothing.json"), missing.getMessage());
        assertTrue(store.stat("t/nothing.json").isEmpty());

        ArtifactStore wrongSecret = new ArtifactStore(new StorageSettings(s3.endpoint(), s3.accessKey(),
                "wrong-secret-" + UUID.randomUUID(), "us-east-1", "tuneforge"));
        StorageException denied = assertThrows(StorageException.class, () -> wrongSecret.putBytes("t/x.json", new byte[1], null));
        assertTrue(denied.getMessage().contains("put s3://tuneforge/t/x.json")
                && denied.getMessage().contains(StorageSettings.SECRET_KEY), denied.getMessage());

        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
                () -> store.putBytes("/abs/key", new byte[1], null));
        assertTrue(badKey.getMessage().contains("'/abs/key'"), badKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.keyOf(S3Uri.parse("s3://elsewhere/a")));
        assertEquals("runs/r1/a.json", store.keyOf(store.uri("runs/r1/a.json")));
    }

    /** A record like the ones services keep in the store. */
    record RunState(String runId, int step, Instant updatedAt) {
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** {@code size} deterministic bytes without holding them in memory. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            long p = position++;
            return (int) ((p * 31 + (p >>> 11) * 7) & 0xff);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) read();
            }
            return n;
        }
    }
}
