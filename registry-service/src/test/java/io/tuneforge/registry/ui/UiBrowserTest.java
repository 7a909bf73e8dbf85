package io.tuneforge.registry.ui;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.Topics;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.training.TrainingQueued;
import io.tuneforge.contracts.training.TrainingRequest;
import io.tuneforge.registry.RegistryStack;
import io.tuneforge.registry.RegistryTestStack;
import io.tuneforge.registry.TestAccess;
import io.tuneforge.registry.TestEvents;
import io.tuneforge.registry.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.tuneforge.registry.TestEvents.event;
import static io.tuneforge.registry.TestEvents.prepared;
import static io.tuneforge.registry.TestEvents.progress;
import static io.tuneforge.registry.TestEvents.record;
import static io.tuneforge.registry.TestEvents.send;
import static io.tuneforge.registry.TestEvents.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI in a real headless Chromium: sign in, submit the training request form (first with mistakes, whose
 * messages appear next to their fields), watch the run appear and move live in the runs list, see its loss and
 * learning-rate curves drawn as progress arrives, then the registered model with its alias and lineage, the
 * evaluation with samples side by side, and two runs compared. Screenshots go to target/screenshots/.
 * Skipped where Debian's chromium and chromium-driver are not installed ({@code .ci/run} installs them).
 */
@QuarkusTest
@WithTestResource(value = RegistryTestStack.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = RegistryStack.TOPICS))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SUFFIX = uniqueId("ui").substring(3);
    private static final String DATASET = "ds-ui-" + SUFFIX;
    private static final String MODEL = "ui-model-" + SUFFIX;
    private static final String RUN = "ui-run-" + SUFFIX;
    private static final String OTHER_RUN = "ui-other-" + SUFFIX;
    private static final String EVAL = "ui-eval-" + SUFFIX;

    private static Browser browser;
    private static KafkaCompanion kafka;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void start() {
        if (Browser.available()) {
            kafka = TestEvents.companion();
            browser = Browser.start();
        }
    }

    /** Each test reports itself skipped (not the class silently absent) where there is no browser. */
    @BeforeEach
    void needsTheBrowser() {
        assumeTrue(browser != null, "Debian's chromium and chromium-driver are not installed"
                + " (apt-get install -y chromium chromium-driver); skipping the browser tests");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void signsInWithAWriterToken() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(kafka, record(event(prepared(DATASET, 1, null), t0)),
                record(event(prepared(DATASET, 2, new DatasetVersionRef(DATASET, 1)), t0.plusSeconds(1))));
        open("ui/login");
        String token = TestAccess.token(Roles.WRITER);
        browser.driver.findElement(By.id("token")).sendKeys(token);
        browser.driver.findElement(By.cssSelector("#login-form button")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("/ui/models"));
        assertEquals("token:test-writer", text("#who .user"));
        assertFalse(browser.driver.getPageSource().contains(token), "the page shows the token");
        browser.screenshot("01-models-signed-in");
    }

    @Test
    @Order(2)
    void theFormShowsEachValidationMessageNextToItsField() {
        open("ui/submit");
        fill("baseModel", "s3://tuneforge/models/tiny-llama/");
        fill("dataset.id", DATASET);
        fill("dataset.version", "0");
        fill("lora.r", "0");
        fill("hyperparameters.epochs", "three");
        fill("hyperparameters.learningRate", "5");
        new Select(browser.driver.findElement(By.id("method"))).selectByValue("sft");
        browser.driver.findElement(By.id("submit-button")).click();

        waitFor(d -> !d.findElements(By.id("form-errors")).isEmpty());
        assertTrue(text("#form-errors").contains("4 problem(s)"), text("#form-errors"));
        assertTrue(fieldError("dataset.version").contains("got 0"), fieldError("dataset.version"));
        assertTrue(fieldError("lora.r").contains("1024"), fieldError("lora.r"));
        assertTrue(fieldError("hyperparameters.epochs").contains("\"three\""), fieldError("hyperparameters.epochs"));
        assertTrue(fieldError("hyperparameters.learningRate").contains("got 5"),
                fieldError("hyperparameters.learningRate"));
        assertEquals("three", value("hyperparameters.epochs"), "what was typed stays in the form");
        assertTrue(browser.driver.findElements(By.cssSelector("[data-field='baseModel'] .field-error")).isEmpty());
        browser.screenshot("02-submit-form-errors");
    }

    @Test
    @Order(3)
    void aValidRequestIsPublishedAndTheRunPageOpens() {
        try (ConsumerTask<String, String> commands = kafka.consumeStrings().withGroupId(uniqueId("ui-commands"))
                .withProp("auto.offset.reset", "earliest").fromTopics(Topics.TRAINING_COMMANDS)) {
            fill("runId", RUN);
            fill("modelName", MODEL);
            fill("dataset.version", "2");
            fill("lora.r", "8");
            fill("hyperparameters.epochs", "2");
            fill("hyperparameters.learningRate", "0.0002");
            fill("metadata", "team=ui-tests");
            browser.driver.findElement(By.id("submit-button")).click();

            waitFor(d -> d.getCurrentUrl().contains("/ui/runs/" + RUN));
            assertEquals("validating", text("#run-status"));
            assertTrue(text("#notice").contains("Submitted"), text("#notice"));
            await().atMost(WAIT).until(() -> commands.stream().anyMatch(r -> RUN.equals(r.key())));
            TrainingRequest published = Json.read(commands.stream().filter(r -> RUN.equals(r.key())).findFirst()
                    .orElseThrow().value(), TrainingRequest.class);
            assertEquals(8, published.lora().r());
            assertEquals(2e-4, published.hyperparameters().learningRate());
            assertEquals(Map.of("team", "ui-tests"), published.metadata());
            browser.screenshot("03-run-submitted");
        }
    }

    @Test
    @Order(4)
    void theRunsListFollowsRunsLive() {
        open("ui/runs");
        waitFor(d -> text("#live-state").contains("live"));
        assertEquals("validating", rowStatus(RUN));

        TrainingRequest request = TestEvents.request(RUN, DATASET, 2, MODEL);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(kafka, record(event(TrainingQueued.of(request), t0)), record(event(TestEvents.started(RUN), t0.plusSeconds(1))));
        waitFor(d -> "running".equals(rowStatus(RUN)));

        // A run this page has never seen appears at the top without a reload.
        TrainingRequest other = TestEvents.request(OTHER_RUN, DATASET, 1, MODEL);
        send(kafka, record(event(TrainingQueued.of(other), t0.plusSeconds(2))));
        waitFor(d -> "queued".equals(rowStatus(OTHER_RUN)));
        assertEquals(OTHER_RUN, browser.driver.findElement(By.cssSelector("#runs-table tbody tr")).getDomAttribute("data-run-id"));
        browser.screenshot("04-runs-live");
    }

    @Test
    @Order(5)
    void theRunPageDrawsTheLossAndLearningRateCurvesAsProgressArrives() {
        open("ui/runs/" + RUN);
        waitFor(d -> "open".equals(d.findElement(By.id("run-page")).getDomAttribute("data-live")));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int step = 1; step <= 10; step++) {
            double lr = 2e-4 * Math.min(1, step / 3.0) * (step > 3 ? (1 + Math.cos(Math.PI * (step - 3) / 7.0)) / 2 : 1);
            Double evalLoss = step % 5 == 0 ? 2.6 - step * 0.08 : null;
            send(kafka, record(event(progress(RUN, step, 3.0 * Math.exp(-step / 6.0) + 0.4, Math.max(lr, 1e-6),
                    evalLoss), t0.plusSeconds(step))));
        }
        waitFor(d -> "10".equals(d.findElement(By.id("run-page")).getDomAttribute("data-points")));
        assertEquals(10L, script("return Chart.getChart(document.getElementById('loss-chart')).getDatasetMeta(0).data.length"));
        assertEquals(2L, script("return Chart.getChart(document.getElementById('loss-chart')).getDatasetMeta(1).data.length"));
        assertEquals(10L, script("return Chart.getChart(document.getElementById('lr-chart')).getDatasetMeta(0).data.length"));
        assertTrue(pixels("loss-chart", 0x1c, 0x7e, 0xd6) > 200, "the train-loss line is drawn in blue");
        assertTrue(pixels("lr-chart", 0x70, 0x48, 0xe8) > 200, "the learning-rate line is drawn in violet");
        assertEquals("running", text("#run-status"));
        assertEquals("100%", text("#run-progress"));
        assertTrue(text("#run-step").contains("step 10"), text("#run-step"));
        browser.screenshot("05-run-curves");
    }

    @Test
    @Order(6)
    void aCompletedRunBecomesAVersionWithAnAliasAndLineage() {
        TestEvents.putAdapter(RUN);
        TrainingRequest request = TestEvents.request(RUN, DATASET, 2, MODEL);
        send(kafka, record(event(TestEvents.completed(request, 0.62), Instant.now().plusSeconds(30))));
        waitFor(d -> "succeeded".equals(text("#run-status")));
        assertFalse(browser.driver.findElement(By.id("cancel-form")).isDisplayed(), "a finished run offers no cancel");

        await().atMost(WAIT).until(() -> io.restassured.RestAssured.given().get("/api/models/" + MODEL + "/versions/1")
                .then().extract().<String>path("status"), "READY"::equals);
        open("ui/models/" + MODEL);
        assertEquals("READY", text("#v1 .badge"));
        fill("alias", "champion");
        new Select(browser.driver.findElement(By.cssSelector("#alias-form select"))).selectByValue("1");
        browser.driver.findElement(By.cssSelector("#alias-form button")).click();
        waitFor(d -> !d.findElements(By.id("notice")).isEmpty());
        assertTrue(text("#notice").contains("champion now points at version 1"), text("#notice"));
        assertTrue(text("#v1").contains("champion"), text("#v1"));
        waitFor(d -> !d.findElements(By.cssSelector("#lineage svg")).isEmpty());
        WebElement svg = browser.driver.findElement(By.cssSelector("#lineage svg"));
        assertEquals("4", svg.getDomAttribute("data-nodes"), "dataset v1 → dataset v2 → run → version");
        assertEquals(3, browser.driver.findElements(By.cssSelector("#lineage path.edge")).size());
        browser.screenshot("06-model-alias-lineage");
    }

    @Test
    @Order(7)
    void theEvaluationPageShowsBaseAndTunedSideBySide() {
        String samples = String.join("\n",
                "{\"prompt\":[{\"role\":\"user\",\"content\":\"How do I reset my password?\"}],"
                        + "\"reference\":\"Use Settings → Security → Reset password.\","
                        + "\"base\":\"I am a language model. Passwords are important.\","
                        + "\"tuned\":\"Open Settings → Security and choose Reset password.\","
                        + "\"metrics\":{\"rougeL\":{\"base\":0.12,\"tuned\":0.71}}}",
                "{\"prompt\":\"Summarise: the order shipped late.\",\"reference\":\"Late shipment.\","
                        + "\"base\":\"The order.\",\"tuned\":\"The order shipped late.\"}");
        TestEvents.store().putBytes("evals/" + EVAL + "/samples.jsonl", samples.getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        send(kafka, record(event(TestEvents.evaluation(EVAL, RUN), Instant.now())));
        await().atMost(WAIT).until(() -> io.restassured.RestAssured.given().get("/api/evaluations/" + EVAL)
                .then().extract().statusCode() == 200);

        open("ui/evaluations/" + EVAL);
        assertEquals("0.21", text("#eval-metrics tr[data-metric='rougeL'] td:nth-child(2)"));
        assertEquals("0.34", text("#eval-metrics tr[data-metric='rougeL'] td:nth-child(3)"));
        assertEquals("+0.13", text("#eval-metrics tr[data-metric='rougeL'] td:nth-child(4)"));
        assertTrue(browser.driver.findElement(By.cssSelector("#eval-metrics tr[data-metric='perplexity'] td:nth-child(4)"))
                .getDomAttribute("class").contains("delta-up"), "lower perplexity is better");
        List<WebElement> shown = browser.driver.findElements(By.cssSelector("#samples .sample"));
        assertEquals(2, shown.size());
        assertTrue(shown.get(0).findElement(By.cssSelector(".base")).getText().contains("Passwords are important"));
        assertTrue(shown.get(0).findElement(By.cssSelector(".tuned")).getText().contains("choose Reset password"));
        assertTrue(shown.get(0).findElement(By.cssSelector(".prompt")).getText().contains("user: How do I reset"));
        browser.screenshot("07-evaluation");
        open("ui/models/" + MODEL);
        waitFor(d -> d.findElements(By.cssSelector("#lineage svg")).size() == 1
                && "5".equals(d.findElement(By.cssSelector("#lineage svg")).getDomAttribute("data-nodes")));
    }

    @Test
    @Order(8)
    void twoRunsCompareSideBySide() {
        send(kafka, record(event(progress(OTHER_RUN, 1, 2.9, 1e-4, null), Instant.now())),
                record(event(progress(OTHER_RUN, 2, 2.7, 1e-4, null), Instant.now().plusSeconds(1))));
        open("ui/runs");
        browser.driver.findElement(By.cssSelector("tr[data-run-id='" + RUN + "'] input[name=ids]")).click();
        browser.driver.findElement(By.cssSelector("tr[data-run-id='" + OTHER_RUN + "'] input[name=ids]")).click();
        browser.driver.findElement(By.id("compare-button")).click();
        waitFor(d -> !d.findElements(By.id("comparison")).isEmpty());
        waitFor(d -> "true".equals(d.findElement(By.id("comparison")).getDomAttribute("data-drawn")));
        assertTrue(text("#parameters").contains("dataset.version"), text("#parameters"));
        assertTrue(text("#metrics").contains("trainLoss"), text("#metrics"));
        assertEquals(2L, script("return Chart.getChart(document.getElementById('compare-loss-chart')).data.datasets.length"));
        browser.screenshot("08-compare");
    }

    private void open(String path) {
        browser.driver.get(base.toString() + path);
    }

    private static void waitFor(Function<org.openqa.selenium.WebDriver, Boolean> condition) {
        new WebDriverWait(browser.driver, WAIT).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(condition::apply);
    }

    private static String text(String css) {
        return browser.driver.findElement(By.cssSelector(css)).getText().trim();
    }

    private static void fill(String name, String value) {
        WebElement input = browser.driver.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }

    private static String value(String name) {
        return browser.driver.findElement(By.name(name)).getDomProperty("value");
    }

    private static String fieldError(String name) {
        return text("[data-field='" + name + "'] .field-error");
    }

    private static String rowStatus(String runId) {
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("tr[data-run-id='" + runId + "'] .badge"));
        return rows.isEmpty() ? null : rows.get(0).getText().trim();
    }

    private static Object script(String js) {
        return browser.driver.executeScript(js);
    }

    /** How many pixels of the canvas are close to the colour r, g, b: a line of that colour was drawn. */
    private static long pixels(String canvasId, int r, int g, int b) {
        return (Long) browser.driver.executeScript("const c = document.getElementById(arguments[0]);"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) {"
                + "  if (d[i + 3] > 128 && Math.abs(d[i] - arguments[1]) < 40 && Math.abs(d[i + 1] - arguments[2]) < 40"
                + "      && Math.abs(d[i + 2] - arguments[3]) < 40) { n++; } }"
                + "return n;", canvasId, r, g, b);
    }
}
