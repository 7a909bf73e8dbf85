package io.tuneforge.cli.submit;

import io.tuneforge.cli.client.CliRun;
import io.tuneforge.cli.client.RecordedRegistry;
import io.tuneforge.cli.client.RecordedRegistry.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** submit against a JDK HTTP server answering like registry-service's POST /api/runs and its SSE stream. */
class SubmitCommandTest {

    @TempDir
    Path dir;

    RecordedRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = new RecordedRegistry("tf_test_token");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static String run(String status, long step, String error) {
        return "{\"runId\":\"r-9\",\"status\":\"" + status + "\",\"modelName\":\"m\",\"step\":" + step
                + ",\"totalSteps\":10,\"progress\":" + step / 10.0 + ",\"etaSeconds\":" + (10 - step)
                + ",\"error\":" + error + "}";
    }

    private CliRun submit(String... extra) throws IOException {
        Path request = dir.resolve("request.yaml");
        if (!Files.exists(request)) {
            Files.writeString(request, "baseModel: s3://tuneforge/models/tiny/\ndataset: {id: support, version: 1}\n");
        }
        String[] args = {"submit", "--request", request.toString(), "--url", registry.url(), "--token",
                "tf_test_token"};
        String[] all = new String[args.length + extra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return CliRun.of(all);
    }

    @Test
    void aBadRequestListsEveryFieldAndSendsNothing() throws IOException {
        Files.writeString(dir.resolve("request.yaml"), "baseModel: ''\nhyperparameters: {epochs: -1}\n");
        CliRun run = submit();
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("hyperparameters.epochs") && run.err().contains("dataset"), run.err());
        assertTrue(run.err().contains("nothing was submitted"), run.err());
        assertTrue(registry.requests().isEmpty(), registry.requests().toString());
    }

    @Test
    void submitPrintsTheRunIdAndTheRunIdOptionOverridesTheFile() throws IOException {
        registry.on("POST /api/runs", x -> Answer.json(202, "{\"runId\":\"r-9\",\"eventId\":\"ev\",\"status\":"
                + "\"validating\",\"warnings\":[],\"run\":\"/api/runs/r-9\"}"));
        CliRun run = submit("--run-id", "r-9");
        assertEquals(0, run.code(), run.toString());
        assertEquals("r-9", run.out().strip());
        String sent = registry.requests().get(0);
        assertTrue(sent.startsWith("POST /api/runs {") && sent.contains("\"runId\":\"r-9\""), sent);
    }

    @Test
    void watchFollowsTheStreamToSuccessAndPrintsTheMetrics() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        registry.on("POST /api/runs", x -> Answer.json(202, "{\"runId\":\"r-9\",\"status\":\"validating\"}"))
                .on("GET /api/runs/r-9", x -> Answer.json(200, reads.getAndIncrement() == 0
                        ? run("queued", 0, "null") : run("succeeded", 10, "null")))
                .on("GET /api/stream/runs", x -> {
                    return new Answer(200, "text/event-stream", "{\"run\":" + run("running", 5, "null")
                            + ",\"metric\":{\"step\":5,\"trainLoss\":2.5,\"tokensPerSecond\":1234.0}}\n{\"run\":"
                            + run("succeeded", 10, "null") + ",\"metric\":{\"step\":10,\"trainLoss\":1.5}}");
                })
                .on("GET /api/runs/r-9/metrics", x -> Answer.json(200,
                        "[{\"step\":10,\"trainLoss\":1.5,\"tokensPerSecond\":1300.0}]"));
        CliRun run = submit("--watch");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().startsWith("r-9"), run.out());
        assertTrue(run.out().contains("run r-9 succeeded (10/10 steps)") && run.out().contains("1.5000"), run.out());
        assertTrue(run.err().contains("5/10  loss 2.5000  1,234 tok/s  ETA 5s  running"), run.err());
        assertEquals(2, reads.get(), "the run is read at the start and at the end, the stream carries the rest");
        assertTrue(registry.requests().stream().anyMatch(r -> r.equals("GET /api/stream/runs?runId=r-9")),
                registry.requests().toString());
    }

    @Test
    void watchEndsNonZeroWhenTheRunFailsEvenWithoutAStream() throws IOException {
        registry.on("POST /api/runs", x -> Answer.json(202, "{\"runId\":\"r-9\",\"status\":\"validating\"}"))
                .on("GET /api/runs/r-9", x -> Answer.json(200, run("failed", 3, "{\"code\":\"DATASET_NOT_FOUND\","
                        + "\"message\":\"no dataset support v1\",\"fieldErrors\":[]}")))
                .on("GET /api/runs/r-9/metrics", x -> Answer.json(200, "[]"));
        CliRun run = submit("--watch");
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.out().contains("error: DATASET_NOT_FOUND: no dataset support v1"), run.out());
    }

    @Test
    void watchGivesUpAfterItsTimeoutWithExitCodeThreeAndLeavesTheRunAlone() throws IOException {
        registry.on("POST /api/runs", x -> Answer.json(202, "{\"runId\":\"r-9\",\"status\":\"validating\"}"))
                .on("GET /api/runs/r-9", x -> Answer.json(200, run("running", 4, "null")));
        CliRun run = submit("--watch", "--timeout", "1");
        assertEquals(SubmitCommand.WATCH_TIMED_OUT, run.code(), run.toString());
        assertTrue(run.err().contains("run r-9 is still running after 1 s") && run.err().contains("runs cancel r-9"),
                run.err());
        assertTrue(registry.requests().stream().noneMatch(r -> r.contains("cancel")), registry.requests().toString());
    }

    @Test
    void theRegistrysFieldErrorsArePrintedAsTitleDetailFieldReason() throws IOException {
        registry.on("POST /api/runs", x -> Answer.json(400, RecordedRegistry.problem(400, "Bad Request",
                "The training request has 1 invalid field", "/api/runs",
                "[{\"path\":\"baseModel\",\"reason\":\"the platform needs s3://<bucket>/models/<name>/\"}]")));
        CliRun run = submit();
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().contains("Bad Request: The training request has 1 invalid field (baseModel: the"
                + " platform needs s3://<bucket>/models/<name>/)"), run.err());
    }
}
