package io.tuneforge.cli.runs;

import io.tuneforge.cli.client.CliRun;
import io.tuneforge.cli.client.RecordedRegistry;
import io.tuneforge.cli.client.RecordedRegistry.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** runs list | show | cancel against a JDK HTTP server answering in registry-service's JSON shapes. */
class RunsCommandsTest {

    static final String SUMMARY = "{\"runId\":\"r-7\",\"status\":\"running\",\"modelName\":\"support-bot\","
            + "\"baseModel\":\"s3://tuneforge/models/tiny/\",\"dataset\":{\"datasetId\":\"support\",\"version\":3},"
            + "\"errorCode\":null,\"step\":12,\"totalSteps\":60,\"progress\":0.2,\"etaSeconds\":40.0,"
            + "\"createdAt\":\"2026-11-29T07:00:00Z\",\"updatedAt\":\"2026-11-29T07:01:00Z\"}";

    static final String DETAIL = "{\"runId\":\"r-7\",\"status\":\"succeeded\",\"modelName\":\"support-bot\","
            + "\"baseModel\":\"s3://tuneforge/models/tiny/\",\"dataset\":{\"datasetId\":\"support\",\"version\":3},"
            + "\"error\":null,\"request\":{\"runId\":\"r-7\",\"method\":\"sft\",\"adapter\":\"lora\","
            + "\"lora\":{\"r\":8,\"alpha\":16},\"hyperparameters\":{\"epochs\":1,\"learningRate\":2.0E-4}},"
            + "\"step\":60,\"totalSteps\":60,\"progress\":1.0,\"etaSeconds\":0.0,\"tags\":{\"submitted-by\":\"admin\"},"
            + "\"modelVersion\":{\"modelName\":\"support-bot\",\"version\":2,\"status\":\"ready\"},"
            + "\"evaluations\":[{\"evalId\":\"e-1\",\"runId\":\"r-7\",\"status\":\"completed\",\"metrics\":"
            + "{\"rougeL\":{\"base\":0.21,\"tuned\":0.48}}}],\"createdAt\":\"2026-11-29T07:00:00Z\","
            + "\"updatedAt\":\"2026-11-29T07:03:00Z\",\"events\":[]}";

    static final String METRICS = "[{\"step\":1,\"totalSteps\":60,\"epoch\":0.02,\"trainLoss\":5.5,\"evalLoss\":null,"
            + "\"learningRate\":2.0E-4,\"gradNorm\":1.0,\"tokensPerSecond\":1200.0,\"progress\":0.02,"
            + "\"etaSeconds\":59.0,\"time\":\"2026-11-29T07:00:01Z\"},{\"step\":60,\"totalSteps\":60,\"epoch\":1.0,"
            + "\"trainLoss\":1.25,\"evalLoss\":1.5,\"learningRate\":0.0,\"gradNorm\":0.5,\"tokensPerSecond\":1500.0,"
            + "\"progress\":1.0,\"etaSeconds\":0.0,\"time\":\"2026-11-29T07:03:00Z\"}]";

    RecordedRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = new RecordedRegistry("tf_test_token");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private CliRun cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[]{"--url", registry.url(), "--token", "tf_test_token"}, 0, all, args.length, 4);
        return CliRun.of(all);
    }

    @Test
    void listPassesStatusAndLimitAndPrintsOneRowPerRun() {
        registry.on("GET /api/runs", x -> Answer.json(200, "{\"items\":[" + SUMMARY
                + "],\"page\":0,\"size\":5,\"totalItems\":9,\"totalPages\":2}"));
        CliRun run = cli("runs", "list", "--status", "RUNNING", "--limit", "5");
        assertEquals(0, run.code(), run.toString());
        assertEquals("GET /api/runs?size=5&status=running", registry.requests().get(0));
        assertTrue(run.out().contains("r-7") && run.out().contains("support/v3") && run.out().contains("12/60")
                && run.out().contains("1 of 9 runs"), run.out());

        CliRun bad = cli("runs", "list", "--status", "sleeping");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown training status 'sleeping'"), bad.err());
    }

    @Test
    void showPrintsStatusRequestMetricsLineageAndArtifacts() {
        registry.on("GET /api/runs/r-7", x -> Answer.json(200, DETAIL))
                .on("GET /api/runs/r-7/metrics", x -> Answer.json(200, METRICS))
                .on("GET /api/runs/r-7/lineage", x -> Answer.json(200, "{\"nodes\":[],\"edges\":[{\"from\":"
                        + "\"dataset-version:support/3\",\"to\":\"run:r-7\",\"relation\":\"trained-on\"}],"
                        + "\"truncated\":false}"))
                .on("GET /api/runs/r-7/artifacts", x -> Answer.json(200, "[{\"name\":\"adapter/adapter_model"
                        + ".safetensors\",\"uri\":\"s3://tuneforge/runs/r-7/adapter/adapter_model.safetensors\","
                        + "\"sizeBytes\":4096,\"url\":\"http://s3/presigned\",\"expiresAt\":\"2026-11-29T08:00:00Z\"}]"));
        CliRun run = cli("runs", "show", "r-7");
        assertEquals(0, run.code(), run.toString());
        String out = run.out();
        assertTrue(out.contains("succeeded  (60/60)"), out);
        assertTrue(out.contains("lora             r=8 alpha=16"), out);
        assertTrue(out.contains("support-bot v2 (ready)"), out);
        assertTrue(out.contains("1.2500") && out.contains("5.5000"), out);
        assertTrue(out.contains("dataset-version:support/3 --trained-on--> run:r-7"), out);
        assertTrue(out.contains("s3://tuneforge/runs/r-7/adapter/adapter_model.safetensors"), out);
        assertTrue(out.contains("rougeL={base=0.21 tuned=0.48}"), out);
    }

    @Test
    void cancelSendsTheReasonAndARefusalIsPrintedAsTitleDetail() {
        registry.on("POST /api/runs/r-7/cancel", x -> Answer.json(202,
                "{\"runId\":\"r-7\",\"eventId\":\"ev-1\",\"reason\":\"wrong dataset\"}"));
        CliRun ok = cli("runs", "cancel", "r-7", "--reason", "wrong dataset");
        assertEquals(0, ok.code(), ok.toString());
        assertEquals("POST /api/runs/r-7/cancel {\"reason\":\"wrong dataset\"}", registry.requests().get(0));
        assertTrue(ok.out().contains("cancel requested for run r-7 (wrong dataset)"), ok.out());

        registry.on("POST /api/runs/r-7/cancel", x -> Answer.json(409, RecordedRegistry.problem(409, "Conflict",
                "Run r-7 already ended (succeeded); only a validating, queued or running run can be cancelled",
                "/api/runs/r-7/cancel", null)));
        CliRun refused = cli("runs", "cancel", "r-7");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("Conflict: Run r-7 already ended (succeeded)"), refused.err());
    }

    @Test
    void aWrongTokenAndAPlatformThatIsNotUpAreSaidPlainly() {
        CliRun denied = CliRun.of("runs", "show", "r-7", "--url", registry.url(), "--token", "wrong");
        assertEquals(1, denied.code());
        assertTrue(denied.err().contains("Unauthorized: A valid API token is required"), denied.err());
        assertTrue(!denied.err().contains("wrong"), "the token is never printed: " + denied.err());

        CliRun down = CliRun.of("runs", "list", "--url", "http://127.0.0.1:1");
        assertEquals(1, down.code());
        assertTrue(down.err().contains("is the platform up? run `./tuneforge up`"), down.err());
    }
}
