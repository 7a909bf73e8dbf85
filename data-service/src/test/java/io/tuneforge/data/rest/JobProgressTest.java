package io.tuneforge.data.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static io.tuneforge.data.testing.TestDatasets.instructions;
import static io.tuneforge.data.testing.TestDatasets.jsonl;
import static io.tuneforge.data.testing.TestDatasets.name;
import static io.tuneforge.data.testing.TestDatasets.utf8;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While an upload streams in, its job shows the bytes and records read so far, and the metrics count it as active;
 * the body is sent slowly, in pieces, with no length (chunked), so the run is caught in the middle.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.dataset.commands,tuneforge.dataset.commands.dlq,"
                + "tuneforge.dataset.events")})
class JobProgressTest {

    @TestHTTPResource("/api/datasets/")
    URI datasets;

    @Test
    void aRunningUploadShowsItsProgressAndTheMetricsCountIt() throws Exception {
        String name = name("progress");
        String jobId = "progress-" + System.nanoTime();
        List<Map<String, Object>> records = instructions(3000, 41);
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(feed, 1 << 16);
        CompletableFuture<HttpResponse<String>> upload = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(datasets.resolve(name + "?jobId=" + jobId))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                HttpResponse.BodyHandlers.ofString());

        send(feed, records.subList(0, 2800));   // the pipeline reports every 1024 records, 4 batches of 256 in flight
        Map<String, Object> running = awaitProgress(jobId);
        assertEquals("running", running.get("status"), running.toString());
        assertEquals("reading", running.get("phase"));
        assertEquals(-1, running.get("totalBytes"), "a chunked body has no known size");
        assertTrue(((Number) running.get("bytesRead")).longValue() > 0, running.toString());
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tuneforge_data_jobs_active 1.0"))
                .body(containsString("tuneforge_data_jobs_input_bytes_read"));

        send(feed, records.subList(2800, 3000));
        feed.close();

        HttpResponse<String> response = upload.get();
        assertEquals(201, response.statusCode(), response.body());
        given().get("/api/datasets/jobs/" + jobId).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.is("succeeded"))
                .body("records", org.hamcrest.Matchers.is(3000));
        given().get("/q/metrics").then().body(containsString("tuneforge_data_jobs_total{outcome=\"succeeded\""));
    }

    private static void send(OutputStream feed, List<Map<String, Object>> records) throws IOException {
        feed.write(utf8(jsonl(records)));
        feed.flush();
    }

    /** Polls the job until it has read records (the pipeline reports at most once a second). */
    private Map<String, Object> awaitProgress(String jobId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            var response = given().get("/api/datasets/jobs/" + jobId);
            if (response.statusCode() == 200 && ((Number) response.path("records")).longValue() > 0) {
                return response.path("$");
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " showed no progress within 20 s");
    }
}
