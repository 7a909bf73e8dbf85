package io.tuneforge.eval.inference;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tuneforge.eval.testing.TinyRuns;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAI-compatible endpoint through a real OpenAI client library (langchain4j's), streaming and not, over the
 * tiny Llama and two LoRA runs trained for it: run A answers "c0?" with "red", run B with "ruby" (the colours in
 * reverse). The test profile keeps one adapter loaded, so switching between the runs evicts and reloads.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.evaluation.commands,tuneforge.evaluation.commands.dlq,"
                + "tuneforge.evaluation.events,tuneforge.training.events,tuneforge.training.events.dlq")})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiEndpointTest {

    @Inject
    ArtifactStore store;

    @TestHTTPResource("/v1")
    URL v1;

    private TinyRuns.Fixture runs;

    @BeforeAll
    void setUp() {
        runs = TinyRuns.ensure(store);
    }

    private OpenAiChatModel chat(String model) {
        return OpenAiChatModel.builder().baseUrl(v1.toString()).apiKey("not-checked").modelName(model)
                .temperature(0.0).maxTokens(12).timeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void tunedRunAnswersThroughTheOpenAiClientAndTheBaseModelDoesNot() {
        ChatResponse tuned = chat("run:" + runs.runA()).chat(ChatRequest.builder().messages(UserMessage.from("c0?"))
                .build());
        assertEquals("red", tuned.aiMessage().text());
        assertEquals(3 + 1, tuned.tokenUsage().outputTokenCount(), "r, e, d and <|im_end|>");
        assertTrue(tuned.tokenUsage().inputTokenCount() > 3, tuned.tokenUsage().toString());

        String base = chat("tiny").chat("c0?");
        assertNotEquals("red", base);
        assertEquals("ruby", chat("run:" + runs.runB()).chat("c0?"));
        assertEquals("red", chat(runs.adapterUri(store, runs.runA())).chat("c0?"), "an adapter named by its s3:// URI");
    }

    @Test
    void streamingDeliversTheSameTextInSeveralChunks() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(v1.toString())
                .apiKey("not-checked").modelName("run:" + runs.runA()).temperature(0.0).maxTokens(12)
                .timeout(Duration.ofSeconds(60)).build();
        List<String> partials = new ArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("c5?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(60, TimeUnit.SECONDS);
        assertEquals(TinyRuns.COLOURS[5], String.join("", partials));
        assertEquals(TinyRuns.COLOURS[5], response.aiMessage().text());
        assertTrue(partials.size() >= 2, "one chunk per decoded token, got " + partials);
        assertEquals(chat("run:" + runs.runA()).chat("c5?"), response.aiMessage().text(), "streaming = not streaming");
    }

    @Test
    void completionsStreamAsServerSentEventsEndingInDone() {
        String body = given().contentType(ContentType.JSON)
                .body("{\"model\": \"tiny\", \"prompt\": \"hello\", \"max_tokens\": 5, \"temperature\": 0,"
                        + " \"stream\": true, \"stream_options\": {\"include_usage\": true}}")
                .when().post("/v1/completions").then().statusCode(200)
                .header("Content-Type", startsWith("text/event-stream"))
                .extract().asString();
        List<String> events = body.lines().filter(l -> !l.isEmpty()).toList();
        assertTrue(events.stream().allMatch(l -> l.startsWith("data: ")), body);
        assertEquals("data: [DONE]", events.get(events.size() - 1));
        assertTrue(events.get(events.size() - 2).contains("\"completion_tokens\":5"), body);
        assertTrue(events.get(events.size() - 3).contains("\"finish_reason\":\"length\""), body);

        String text = given().contentType(ContentType.JSON)
                .body("{\"model\": \"tiny\", \"prompt\": \"hello\", \"max_tokens\": 5, \"temperature\": 0}")
                .when().post("/v1/completions").then().statusCode(200)
                .body("object", is("text_completion"))
                .body("usage.completion_tokens", is(5))
                .body("choices[0].finish_reason", is("length"))
                .extract().path("choices[0].text");
        StringBuilder streamed = new StringBuilder();
        events.stream().filter(l -> l.contains("\"text\":")).forEach(l -> streamed.append(
                io.tuneforge.contracts.Json.read(l.substring(6), com.fasterxml.jackson.databind.JsonNode.class)
                        .at("/choices/0/text").asText()));
        assertEquals(text, streamed.toString());
    }

    @Test
    void modelsAreListedAndAdaptersAreEvictedLeastRecentlyUsedFirst() {
        assertEquals("red", chat("run:" + runs.runA()).chat("c0?"));
        assertEquals("ruby", chat("run:" + runs.runB()).chat("c0?")); // max-adapters = 1 in tests: A is dropped
        given().when().get("/v1/models").then().statusCode(200)
                .body("object", is("list"))
                .body("data.id", hasItems("tiny", "tiny-eval", "run:" + runs.runA(), "run:" + runs.runB()))
                .body("data.find { it.id == 'run:" + runs.runB() + "' }.tuneforge.loaded", is(true))
                .body("data.find { it.id == 'run:" + runs.runA() + "' }.tuneforge.loaded", is(false));
        assertEquals("red", chat("run:" + runs.runA()).chat("c0?"), "reloaded on demand");
        given().when().get("/v1/models/run:" + runs.runA()).then().statusCode(200)
                .body("tuneforge.base", equalTo(runs.modelUri()))
                .body("tuneforge.adapter", endsWith("/runs/" + runs.runA() + "/adapter/"));
    }

    @Test
    void stopSequencesCutTheAnswer() {
        given().contentType(ContentType.JSON).body("{\"model\": \"run:" + runs.runA() + "\", \"temperature\": 0,"
                        + " \"stop\": [\"e\"], \"messages\": [{\"role\": \"user\", \"content\": \"c0?\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .body("object", is("chat.completion"))
                .body("choices[0].message.role", is("assistant"))
                .body("choices[0].message.content", is("r"))
                .body("choices[0].finish_reason", is("stop"))
                .body("usage.completion_tokens", is(2));
    }

    @Test
    void errorsComeInOpenAisShape() {
        given().contentType(ContentType.JSON).body("{\"model\": \"no-such-model\", \"messages\": [{\"role\": \"user\","
                        + " \"content\": \"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(404)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is("model_not_found"))
                .body("error.param", is("model"))
                .body("error.message", startsWith("The model 'no-such-model' does not exist"));
        given().contentType(ContentType.JSON).body("{\"model\": \"tiny\", \"n\": 2, \"messages\": [{\"role\": \"user\","
                        + " \"content\": \"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(400)
                .body("error.param", is("n"));
        given().contentType(ContentType.JSON).body("{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\","
                        + " \"content\": \"hi\"}], \"max_tokens\": 100000}")
                .when().post("/v1/chat/completions").then().statusCode(400)
                .body("error.code", is("context_length_exceeded"))
                .body("error.param", is("max_tokens"));
        given().contentType(ContentType.JSON).body("{not json")
                .when().post("/v1/completions").then().statusCode(400)
                .body("error.type", is("invalid_request_error"));
        given().when().get("/v1/models/run:never-trained").then().statusCode(404)
                .body("error.code", is("model_not_found"));
    }
}
