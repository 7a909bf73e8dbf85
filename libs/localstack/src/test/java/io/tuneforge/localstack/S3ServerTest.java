package io.tuneforge.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3ServerTest {

    @Test
    void minioClientCreatesBucketPutsGetsListsAndRemoves() throws Exception {
        S3Server s3 = S3Server.start();
        Path data = s3.dataDir();
        try {
            MinioClient client = client(s3.endpoint(), s3.accessKey(), s3.secretKey());
            client.makeBucket(MakeBucketArgs.builder().bucket("tuneforge").build());
            assertTrue(client.bucketExists(BucketExistsArgs.builder().bucket("tuneforge").build()));

            byte[] body = "{\"step\": 1}".getBytes(StandardCharsets.UTF_8);
            for (String key : List.of("runs/r1/state.json", "runs/r1/metrics.jsonl")) {
                client.putObject(PutObjectArgs.builder().bucket("tuneforge").object(key)
                        .stream(new ByteArrayInputStream(body), body.length, -1).contentType("application/json").build());
            }
            try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket("tuneforge")
                    .object("runs/r1/state.json").build())) {
                assertArrayEquals(body, in.readAllBytes());
            }
            assertEquals(List.of("runs/r1/metrics.jsonl", "runs/r1/state.json"), keys(client, "runs/"));

            client.removeObject(RemoveObjectArgs.builder().bucket("tuneforge").object("runs/r1/state.json").build());
            assertEquals(List.of("runs/r1/metrics.jsonl"), keys(client, "runs/"));

            ErrorResponseException denied = assertThrows(ErrorResponseException.class,
                    () -> client(s3.endpoint(), s3.accessKey(), "not-the-secret-key-0000000000000000000000")
                            .bucketExists(BucketExistsArgs.builder().bucket("tuneforge").build()));
            assertEquals(403, denied.response().code(), "a wrong secret must be refused");
        } finally {
            s3.close();
        }
        assertFalse(s3.process().isAlive(), "child JVM must be gone after close");
        assertFalse(Ports.isOpen(s3.port()), "port must be closed after close");
        assertFalse(Files.exists(data), "temporary data dir must be deleted");
    }

    @Test
    void aMissingJarIsNamedInTheError() {
        String previous = System.getProperty(S3ProxyJar.JAR_PROPERTY);
        System.setProperty(S3ProxyJar.JAR_PROPERTY, "/nonexistent/s3proxy.jar");
        try {
            LocalStackException e = assertThrows(LocalStackException.class, S3Server::start);
            assertTrue(e.getMessage().contains("/nonexistent/s3proxy.jar"), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(S3ProxyJar.JAR_PROPERTY);
            } else {
                System.setProperty(S3ProxyJar.JAR_PROPERTY, previous);
            }
        }
    }

    @Test
    void theJarIsFoundInTheLocalRepository() {
        Path jar = S3ProxyJar.locate();
        assertTrue(Files.isRegularFile(jar), jar.toString());
        assertTrue(jar.getFileName().toString().endsWith("-jar-with-dependencies.jar"), jar.toString());
    }

    static MinioClient client(String endpoint, String accessKey, String secretKey) {
        return MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region("us-east-1").build();
    }

    private static List<String> keys(MinioClient client, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket("tuneforge")
                .prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }
}
