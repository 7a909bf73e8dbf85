package io.tuneforge.augment.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.augment.llm.CallCounts;
import io.tuneforge.augment.testing.LlmStub;
import io.tuneforge.augment.testing.LlmStubResource;
import io.tuneforge.augment.testing.TestDatasets;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.augmentation.AugmentationCompleted;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetPrepared;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.tuneforge.augment.testing.LlmStub.badRequest;
import static io.tuneforge.augment.testing.LlmStub.emptyChoices;
import static io.tuneforge.augment.testing.LlmStub.malformed;
import static io.tuneforge.augment.testing.LlmStub.ok;
import static io.tuneforge.augment.testing.LlmStub.rateLimited;
import static io.tuneforge.augment.testing.LlmStub.sequence;
import static io.tuneforge.augment.testing.LlmStub.serverError;
import static io.tuneforge.augment.testing.LlmStub.slow;
import static io.tuneforge.augment.testing.TestDatasets.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One job with every operation against the stub API, which injects a 429 with Retry-After, two 500s, a timeout, a
 * malformed body, empty choices and a 400, and answers with rewrites that the gate must accept or reject: the job
 * finishes with exactly the records expected, and every count in the manifest adds up and matches the stub's log.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.augmentation.commands,tuneforge.augmentation.commands.dlq,"
                + "tuneforge.augmentation.events,tuneforge.dataset.events")})
@WithTestResource(value = LlmStubResource.class, scope = TestResourceScope.GLOBAL)
class AugmentationJobTest {

    // English prompt words of the built-in templates, and the Chinese ones
    static final String PARAPHRASE = "Paraphrase the following English request";
    static final String VERSION_1 = "Write version 1 of 2 of the following English request";
    static final String VERSION_2 = "Write version 2 of 2 of the following English request";
    static final String INTO_CHINESE = "请把下面的文本翻译成中文";
    static final String ZH_INTO_EN = "Translate the following Chinese text into English";
    static final String PARAPHRASE_ZH = "请用中文改写下面的请求";
    static final String VERSION_1_ZH = "请写出下面请求的第 1 个改写版本（共 2 个）";
    static final String VERSION_2_ZH = "请写出下面请求的第 2 个改写版本（共 2 个）";

    static final String A = "Explain why the sky appears blue on a clear afternoon.";
    static final String B = "Write a short poem about autumn leaves falling in the park.";
    static final String C = "请解释为什么夏天的白天比冬天长。";
    static final String D = "List three benefits of drinking water every morning.";

    @Inject
    ArtifactStore store;

    @Inject
    AugmentationEngine engine;

    private final LlmStub stub = LlmStub.connect();

    @BeforeEach
    void resetStub() {
        stub.reset();
    }

    @Test
    void faultsAreRetriedGenerationsGatedAndEveryCountAddsUp() throws Exception {
        DatasetVersionRef source = TestDatasets.publish(store, "ds-faults-" + suffix(), List.of(
                record(A, "Sunlight is scattered by air molecules, and blue light is scattered the most."),
                record(B, "Golden leaves drift down,\nthe path is bright,\nthe park grows quiet."),
                record(C, "因为地轴倾斜，夏季太阳高度角大，白昼更长。"),
                record(D, "1. Hydration\n2. Better digestion\n3. More energy")), List.of(
                record("Describe how a rainbow forms after the rain.", "Sunlight is refracted in droplets."),
                record("什么是光合作用", "植物利用光能把二氧化碳和水转化为有机物。")));

        // A: 429 with Retry-After 1 s, then an answer; variations fine; the pivot comes back in English
        stub.respond(LlmStub.COMPLETIONS, sequence(rateLimited("1"),
                ok("Why does a clear afternoon sky look blue to us?")), PARAPHRASE, A);
        stub.answer("What makes the afternoon sky look blue when there are no clouds?", VERSION_1, A);
        stub.answer("Give the reason a cloudless sky turns blue in the afternoon.", VERSION_2, A);
        stub.answer("The sky is blue because sunlight is scattered.", INTO_CHINESE, A);
        // B: two 500s, then an answer; variation 2 repeats variation 1; the back-translation is near-identical
        stub.respond(LlmStub.COMPLETIONS, sequence(serverError(), serverError(),
                ok("Compose a brief poem about autumn leaves drifting down in a park.")), PARAPHRASE, B);
        stub.answer("Please write a few lines of verse on fallen autumn leaves in a city park.", VERSION_1, B);
        stub.answer("Please write a few lines of verse on fallen autumn leaves in a city park.", VERSION_2, B);
        stub.answer("写一首关于公园里秋叶飘落的短诗。", INTO_CHINESE, B);
        stub.answer("Write a short poem about autumn leaves falling in the park!",
                "Translate the following Chinese text into English", "写一首关于公园里秋叶飘落的短诗");
        // C (Chinese, so the pivot is English): a timeout, then an answer; variation 2 always 400
        stub.respond(LlmStub.COMPLETIONS, sequence(slow("请说明夏季白昼为何比冬季更长。", 1500),
                ok("请说明夏季白昼为何比冬季更长。")), PARAPHRASE_ZH, C);
        stub.answer("为什么夏天白天的时间会比冬天多", VERSION_1_ZH, C);
        stub.respond(LlmStub.COMPLETIONS, sequence(badRequest()), VERSION_2_ZH, C);
        stub.answer("Please explain why days are longer in summer than in winter.", ZH_INTO_EN, C);
        stub.answer("请说明为什么夏天的白昼比冬天更长。", INTO_CHINESE,
                "Please explain why days are longer in summer than in winter.");
        // D: the paraphrase is the source itself; malformed JSON, then an answer; empty choices, then an answer
        // with a NUL (the pipeline rejects it); the back-translation is far too long
        stub.answer(D, PARAPHRASE, D);
        stub.respond(LlmStub.COMPLETIONS, sequence(malformed(), ok("Name three good reasons to drink water each"
                + " morning.")), VERSION_1, D);
        stub.respond(LlmStub.COMPLETIONS, sequence(emptyChoices(), ok("What are three advantages of having water"
                + " first thing every morning?\u0000")), VERSION_2, D);
        stub.answer("列出每天早上喝水的三个好处。", INTO_CHINESE, D);
        stub.answer(D + " " + "Also explain in detail how hydration affects the kidneys, the skin, the brain,"
                + " the heart, the muscles and the joints, and give a schedule for the rest of the day with amounts,"
                + " times and the kinds of water to choose, with sources for every claim made in the answer.",
                "Translate the following Chinese text into English", "列出每天早上喝水的三个好处");

        String jobId = "aug-faults-" + suffix();
        AugmentationRequested request = new AugmentationRequested(1, jobId, source,
                List.of("paraphrase", "variations", "backTranslate"),
                Map.of("n", 2, "pivotLanguage", "zh", "concurrency", 2));
        JobOutcome outcome = engine.run(request, JobListener.NONE);

        JobOutcome.Completed done = assertInstanceOf(JobOutcome.Completed.class, outcome, outcome.toString());
        DatasetPrepared prepared = done.prepared();
        AugmentationCompleted completed = done.completed();
        DatasetVersionRef result = completed.result();
        assertEquals(source.datasetId(), result.datasetId());
        assertEquals(source.version() + 1, result.version());
        assertEquals(source, prepared.parent());
        assertEquals("augmentation", prepared.source());

        // 4 records x (1 paraphrase + 2 variations + 1 back-translation) = 16 slots
        ObjectNode manifest = store.getJson(ObjectKeys.datasetManifest(result.datasetId(), result.version()),
                ObjectNode.class);
        JsonNode aug = manifest.path("augmentation");
        JsonNode gen = aug.path("generations");
        assertEquals(16, gen.path("slots").asLong());
        assertEquals(10, gen.path("accepted").asLong());
        assertEquals(5, gen.path("rejected").asLong());
        assertEquals(1, gen.path("failed").asLong());
        assertEquals(Map.of("wrong_language", 1L, "duplicate_generation", 1L, "near_duplicate", 1L,
                "identical", 1L, "too_long", 1L), longs(gen.path("rejectedByReason")));
        assertEquals(Map.of("client_error", 1L), longs(gen.path("failedByKind")));
        assertEquals(1, aug.path("pipeline").path("generatedRejected").asLong());
        assertEquals(Map.of("control_characters", 1L), longs(aug.path("pipeline").path("generatedRejectedByReason")));
        assertEquals(9, aug.path("records").path("added").asLong());
        for (JsonNode op : gen.path("byOperation")) {
            assertEquals(op.path("slots").asLong(), op.path("accepted").asLong() + op.path("rejected").asLong()
                    + op.path("failed").asLong(), op.toString());
        }
        assertEquals(4, gen.path("byOperation").path("paraphrase").path("slots").asLong());
        assertEquals(8, gen.path("byOperation").path("variations").path("slots").asLong());
        assertEquals(1, gen.path("byOperation").path("backTranslate").path("accepted").asLong());

        // the version: 4 originals + 9 added in train, the parent's 2 eval records unchanged
        List<ObjectNode> train = TestDatasets.read(store, ObjectKeys.datasetFile(result.datasetId(), result.version(),
                ObjectKeys.TRAIN_FILE));
        assertEquals(13, train.size());
        assertEquals(13, manifest.path("counts").path("train").asLong());
        assertEquals(List.of(A, B, C, D), train.subList(0, 4).stream().map(r -> r.path("instruction").asText())
                .toList(), "the originals come first, unchanged");
        assertEquals(Map.of("augment:paraphrase", 3L, "augment:variations", 5L, "augment:backTranslate", 1L),
                train.subList(4, 13).stream().collect(Collectors.groupingBy(r -> r.path("source").asText(),
                        Collectors.counting())));
        assertTrue(train.stream().anyMatch(r -> r.path("instruction").asText()
                .equals("请说明为什么夏天的白昼比冬天更长。") && r.path("output").asText().startsWith("因为地轴倾斜")),
                "a back-translation keeps its record's answer");
        byte[] parentEval = store.getBytes(ObjectKeys.datasetFile(source.datasetId(), source.version(),
                ObjectKeys.EVAL_FILE));
        assertEquals(new String(parentEval, StandardCharsets.UTF_8), new String(store.getBytes(ObjectKeys.datasetFile(
                result.datasetId(), result.version(), ObjectKeys.EVAL_FILE)), StandardCharsets.UTF_8));
        assertEquals(2, manifest.path("counts").path("eval").asLong());
        assertEquals(Map.of("input", 16L, "train", 13L, "eval", 2L, "rejected", 1L), prepared.counts());
        assertEquals(manifest.path("parent").path("version").asInt(), source.version());
        JsonNode counts = manifest.path("counts");
        assertEquals(counts.path("input").asLong(), counts.path("train").asLong() + counts.path("eval").asLong()
                + counts.path("rejected").asLong());
        assertEquals(manifest.path("input").path("records").asLong(), counts.path("train").asLong()
                + counts.path("rejected").asLong(), "the pipeline read the train side only");
        assertEquals(2, manifest.path("files").path("eval.jsonl").path("records").asLong());
        assertEquals(source.datasetId(), manifest.path("split").path("evalInheritedFrom").path("datasetId").asText());

        // calls: 19 completions, one given up (400); 25 HTTP requests = 18 answers + 7 failed attempts
        JsonNode calls = aug.path("calls");
        assertEquals(19, calls.path("requests").asLong());
        assertEquals(18, calls.path("fresh").asLong());
        assertEquals(1, calls.path("failed").asLong());
        assertEquals(0, calls.path("cacheHits").asLong());
        assertEquals(6, calls.path("retries").asLong());
        assertEquals(Map.of("rate_limited", 1L, "server_error", 2L, "timeout", 1L, "malformed_response", 1L,
                "empty_choices", 1L, "client_error", 1L), longs(calls.path("errors")));
        List<LoggedRequest> received = stub.completions();
        assertEquals(received.size(), calls.path("httpRequests").asLong(), "the stub's log and the manifest agree");
        assertEquals(25, received.size());
        assertEquals(18L * LlmStub.PROMPT_TOKENS, aug.path("tokens").path("prompt").asLong());
        assertEquals(18L * LlmStub.COMPLETION_TOKENS, aug.path("tokens").path("completion").asLong());
        JobProgress progress = engine.progress(jobId).orElseThrow();
        assertNull(progress.calls().check(), progress.calls().check());
        CallCounts c = progress.calls();
        assertEquals(c.httpRequests(), calls.path("httpRequests").asLong());

        // Retry-After: 1 was honoured; the key was sent, and is written nowhere
        List<LoggedRequest> limited = stub.requests(LlmStub.COMPLETIONS, PARAPHRASE, A);
        assertEquals(2, limited.size());
        long waited = limited.get(1).getLoggedDate().getTime() - limited.get(0).getLoggedDate().getTime();
        assertTrue(waited >= 1000, "waited only " + waited + " ms after 'Retry-After: 1'");
        assertTrue(received.stream().allMatch(r -> ("Bearer " + LlmStub.API_KEY).equals(r.getHeader("Authorization"))));
        assertFalse(Json.write(manifest).contains(LlmStub.API_KEY));
        assertFalse(Json.write(progress).contains(LlmStub.API_KEY));
        assertEquals("stub-model", aug.path("model").asText());
        assertEquals(stub.baseUrl("/v1"), aug.path("endpoint").asText());
        assertEquals(2, aug.path("settings").path("n").asInt());
        assertTrue(aug.path("settings").path("templates").has("paraphrase.zh"));

        // the completions counted in AugmentationCompleted match the manifest
        assertEquals(10L, completed.counts().get("accepted"));
        assertEquals(9L, completed.counts().get("added"));
        assertEquals(19L, completed.counts().get("calls"));
        assertEquals(18L * LlmStub.PROMPT_TOKENS, completed.counts().get("promptTokens"));
        assertEquals(JobProgress.WRITTEN, progress.status());
        assertEquals(2, progress.chunks().size());
    }

    static Map<String, Long> longs(JsonNode object) {
        Map<String, Long> m = new java.util.TreeMap<>();
        object.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
