package io.tuneforge.augment.job;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.augment.config.AugmentBeans;
import io.tuneforge.augment.config.AugmentConfig;
import io.tuneforge.augment.llm.CallStats;
import io.tuneforge.augment.llm.ChatPrompt;
import io.tuneforge.augment.llm.Completions;
import io.tuneforge.augment.llm.LlmGateway;
import io.tuneforge.augment.llm.LlmReply;
import io.tuneforge.augment.llm.LlmSettings;
import io.tuneforge.augment.llm.OpenAiChat;
import io.tuneforge.augment.llm.ResponseCache;
import io.tuneforge.augment.testing.LlmStub;
import io.tuneforge.augment.testing.LlmStubResource;
import io.tuneforge.augment.testing.TestDatasets;
import io.tuneforge.contracts.augmentation.AugmentationRequested;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job that dies in the middle of its second chunk and is started again by a new engine — a new LLM client, a new
 * cache object, as after a restart of the service — resumes where it stopped: finished chunks are not redone, the
 * completions of the interrupted chunk come from the store's response cache, and the stub API is asked each prompt
 * exactly once. Sending the job again after it finished changes nothing and costs nothing.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.augmentation.commands,tuneforge.augmentation.commands.dlq,"
                + "tuneforge.augmentation.events,tuneforge.dataset.events")})
@WithTestResource(value = LlmStubResource.class, scope = TestResourceScope.GLOBAL)
class JobResumeTest {

    /** What a JVM that dies looks like to the code that was running: an Error nothing catches. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    @Inject
    ArtifactStore store;

    @Inject
    AugmentConfig config;

    private final LlmStub stub = LlmStub.connect();

    @BeforeEach
    void resetStub() {
        stub.reset();
    }

    @Test
    void aCrashedJobResumesWithoutPayingTwiceAndAResendChangesNothing() throws Exception {
        String[][] records = {
                {"Summarise the safety rules for using ladders in a warehouse.", "Check the feet, keep three points"
                        + " of contact and never stand on the top step.",
                        "What should warehouse staff keep in mind before climbing a ladder?"},
                {"Describe how to brew green tea without making it bitter.", "Use water at about 80 degrees and"
                        + " steep for two minutes.", "How do I make green tea that does not taste harsh?"},
                {"Give two tips for remembering new vocabulary in a foreign language.", "Use spaced repetition"
                        + " and say the words aloud in sentences.",
                        "Share a couple of tricks that help new foreign words stick in memory."},
                {"Explain what a compiler does with source code.", "It translates source code into machine code or"
                        + " bytecode before the program runs.", "What is the job of a compiler when it gets a program?"},
                {"Suggest a name for a bakery that sells only sourdough bread.", "The Patient Loaf.",
                        "Come up with a shop name for a sourdough-only bakery."}};
        List<InstructionRecord> train = new ArrayList<>();
        for (String[] r : records) {
            train.add(TestDatasets.record(r[0], r[1]));
            stub.answer(r[2], "Paraphrase the following English request", r[0]);
        }
        DatasetVersionRef source = TestDatasets.publish(store, "ds-resume-" + suffix(), train,
                List.of(TestDatasets.record("Summarise the appendix.", "It lists the inspection dates.")));
        AugmentationRequested request = new AugmentationRequested(1, "aug-resume-" + suffix(), source,
                List.of("paraphrase"), Map.of("concurrency", 1));

        // run 1: chunk 0 (records 0-1) is finished; the crash comes after record 2's completion, during record 3
        AtomicInteger calls = new AtomicInteger();
        Completions crashing = crashAfter(freshGateway(), 3, calls);
        AugmentationEngine first = engine(crashing);
        assertThrows(SimulatedCrash.class, () -> first.run(request, JobListener.NONE));
        JobProgress afterCrash = first.progress(request.jobId()).orElseThrow();
        assertEquals(JobProgress.RUNNING, afterCrash.status());
        assertEquals(1, afterCrash.chunks().size(), "only chunk 0 was finished");
        assertEquals(2, afterCrash.recordsDone());
        assertEquals(3, stub.completions().size());

        // run 2, "after the restart": a new engine with a new client and cache object
        AugmentationEngine second = engine(freshGateway());
        JobOutcome.Completed done = assertInstanceOf(JobOutcome.Completed.class,
                second.run(request, JobListener.NONE));
        Map<String, Long> perPrompt = stub.completions().stream()
                .collect(Collectors.groupingBy(LlmStub::userTurn, Collectors.counting()));
        assertEquals(5, perPrompt.size());
        assertTrue(perPrompt.values().stream().allMatch(n -> n == 1), "a prompt was sent twice: " + perPrompt);
        JobProgress progress = second.progress(request.jobId()).orElseThrow();
        assertEquals(2, progress.runs());
        assertEquals(3, progress.chunks().size());
        assertEquals(5, progress.calls().requests());
        assertEquals(1, progress.calls().cacheHits(), "record 2's answer was paid in run 1 and read from the cache");
        assertEquals(4, progress.calls().fresh());
        assertNull(progress.calls().check(), progress.calls().check());
        assertEquals(5, done.completed().counts().get("added"));
        assertEquals(10, TestDatasets.read(store, ObjectKeys.datasetFile(source.datasetId(),
                done.completed().result().version(), ObjectKeys.TRAIN_FILE)).size());
        assertTrue(store.exists(JobKeys.chunk(request.jobId(), 2)));

        // the events were lost before they were sent: the same command gives the same version again, for free
        JobOutcome.Completed again = assertInstanceOf(JobOutcome.Completed.class,
                engine(freshGateway()).run(request, JobListener.NONE));
        assertEquals(done.completed().result(), again.completed().result());
        second.markCompleted(request.jobId());
        assertInstanceOf(JobOutcome.AlreadyCompleted.class, second.run(request, JobListener.NONE));
        assertEquals(5, stub.completions().size());

        // another job with the same prompts and parameters pays nothing: every answer is in the cache
        AugmentationRequested twin = new AugmentationRequested(1, "aug-twin-" + suffix(), source,
                List.of("paraphrase"), Map.of("concurrency", 1));
        JobOutcome.Completed twinDone = assertInstanceOf(JobOutcome.Completed.class,
                engine(freshGateway()).run(twin, JobListener.NONE));
        assertEquals(5, stub.completions().size());
        assertEquals(5L, twinDone.completed().counts().get("cachedCalls"));
        assertEquals(0L, twinDone.completed().counts().get("freshCalls"));
        assertEquals(source.version() + 2, twinDone.completed().result().version());

        // the same job id with another request is refused, and nothing runs
        AugmentationRequested other = new AugmentationRequested(1, request.jobId(), source, List.of("paraphrase"),
                Map.of("concurrency", 1, "temperature", 0.2));
        JobOutcome.Failed refused = assertInstanceOf(JobOutcome.Failed.class,
                second.run(other, JobListener.NONE));
        assertEquals(AugmentationEngine.INVALID_REQUEST, refused.failed().errorCode());
        assertTrue(refused.failed().message().contains("already used for another request"),
                refused.failed().message());
    }

    private AugmentationEngine engine(Completions completions) throws Exception {
        return new AugmentationEngine(store, completions, config, Files.createTempDirectory("augment-resume-"),
                Clock.systemUTC());
    }

    /** A client as a freshly started service builds it (its own breaker, cache object and HTTP client). */
    private LlmGateway freshGateway() {
        OpenAiChat chat = new OpenAiChat(stub.baseUrl("/v1"), Optional.of(LlmStub.API_KEY), Duration.ofSeconds(5),
                AugmentBeans.httpClient(config), Clock.systemUTC());
        return new LlmGateway(chat, new ResponseCache(store, true, Clock.systemUTC()),
                LlmGateway.Policy.from(config.reliability()), "test-" + UUID.randomUUID());
    }

    /** Passes completions through until {@code n} have been answered, then dies at the next one. */
    private static Completions crashAfter(Completions delegate, int n, AtomicInteger answered) {
        return new Completions() {
            @Override
            public LlmReply complete(ChatPrompt prompt, LlmSettings settings, CallStats stats) {
                if (answered.get() >= n) {
                    throw new SimulatedCrash("the JVM died after " + n + " completions");
                }
                LlmReply reply = delegate.complete(prompt, settings, stats);
                answered.incrementAndGet();
                return reply;
            }

            @Override
            public String endpoint() {
                return delegate.endpoint();
            }
        };
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
