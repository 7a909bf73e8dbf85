package io.tuneforge.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.TuneForgeCli;
import io.tuneforge.cli.client.PlatformSettings;
import io.tuneforge.cli.client.ServiceClient;
import io.tuneforge.cli.datasets.DataServiceClient;
import io.tuneforge.cli.platform.LocalPlatform;
import io.tuneforge.cli.platform.PlatformHome;
import io.tuneforge.cli.platform.UpCommand;
import io.tuneforge.contracts.storage.ObjectKeys;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge demo}: the platform end to end, through the services' public APIs only — 1) {@code up},
 * 2) the tiny model to {@code models/tuneforge-demo-tiny/}, 3) the bundled instruction and preference sets through
 * data-service, 4) a paraphrase job on a slice through augment-service (which asks eval-service's /v1 serving the tiny
 * model; its gate may reject gibberish — counted, never fatal), 5) a LoRA SFT run submitted to the registry and
 * watched, 6) the evaluations, 7) the registered version, then a summary.
 *
 * <p>The tiny random model cannot generalise to questions it has not seen, so besides the automatic evaluation on the
 * held-out split the demo asks eval-service for one on the records it trained on (a copy of the train split uploaded
 * as {@code demo-instructions-seen}) — as the local demo does; that is where the tuned model beats the base.
 */
final class PlatformDemo implements Callable<Integer> {

    static final String BASE_MODEL = "tuneforge-demo-tiny";
    static final String TUNED_MODEL = "tuneforge-demo";
    static final String INSTRUCTIONS = "demo-instructions";
    static final String SEEN = "demo-instructions-seen";
    static final String PREFERENCES = "demo-preferences";
    static final List<String> METRICS = List.of("rougeL", "bleu", "perplexity", "exactMatch");
    private static final int STAGES = 7;

    private final Path workdir;
    private final int epochs;
    private final int portOffset;
    private final boolean build;
    private final boolean down;

    PlatformDemo(Path workdir, int epochs, int portOffset, boolean build, boolean down) {
        this.workdir = workdir;
        this.epochs = epochs;
        this.portOffset = portOffset;
        this.build = build;
        this.down = down;
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        LocalPlatform platform = new LocalPlatform(PlatformHome.locate());
        try {
            DemoSummary summary = run(platform);
            summary.print(System.out, (System.nanoTime() - t0) / 1e9, down);
            summary.write(workdir.resolve("summary.json"));
            return 0;
        } finally {
            if (down) {
                System.out.printf("%n== tuneforge down%n");
                platform.down(false, System.out);
            }
        }
    }

    private DemoSummary run(LocalPlatform platform) throws Exception {
        LocalDemo.deleteRecursively(workdir);
        Files.createDirectories(workdir);
        DemoSummary summary = new DemoSummary();

        stage(1, "platform up", () -> UpCommand.up(platform,
                new LocalPlatform.Options(portOffset, build, LocalPlatform.Options.defaults().readyTimeout())));
        // From here on every address and key is resolved as any client command resolves it (PlatformSettings).
        PlatformSettings settings = PlatformSettings.load();
        summary.registryUrl = settings.serviceUrl(PlatformSettings.REGISTRY_URL, null);
        String bucket = settings.storage().bucket();

        String baseUri = stage(2, "tiny model -> object store (tuneforge models import)", () -> {
            Path model = workdir.resolve("model");
            cli("model", "init-tiny", "--output", model.toString(), "--init-std", "0.2");
            cli("models", "import", model.toString(), "--name", BASE_MODEL);
            return "s3://" + bucket + "/" + ObjectKeys.modelPrefix(BASE_MODEL);
        });

        DataServiceClient data = new DataServiceClient(URI.create(settings.serviceUrl(PlatformSettings.DATA_URL, null)));
        stage(3, "datasets -> data-service", () -> {
            Path instructions = LocalDemo.copyResource(LocalDemo.SAMPLE, workdir);
            summary.instructions = upload(data, INSTRUCTIONS, instructions, Map.of("evalRatio", "0.2", "seed", "42"));
            summary.preferences = upload(data, PREFERENCES,
                    LocalDemo.copyResource("/demo/sample-preferences.jsonl", workdir), Map.of("seed", "42"));
            // The records the model will train on, as a dataset of their own whose eval split holds all but one.
            Path train = workdir.resolve("seen-train.jsonl");
            download(data, INSTRUCTIONS, summary.instructions.path("version").asInt(), "train.jsonl", train);
            long lines = Files.readAllLines(train, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).count();
            summary.seen = upload(data, SEEN, train, Map.of("evalCount", Long.toString(lines - 1), "seed", "42",
                    "nearDedup", "false"));
            return null;
        });

        ServiceClient augment = new ServiceClient("augment-service",
                settings.serviceUrl(PlatformSettings.AUGMENT_URL, null), null);
        stage(4, "augmentation (augment-service -> eval-service /v1)", () -> {
            summary.augmentation = Augmentation.run(augment, INSTRUCTIONS,
                    summary.instructions.path("version").asInt(), BASE_MODEL, Duration.ofMinutes(4));
            return null;
        });

        ServiceClient registry = ServiceClient.registry(settings, null, null);
        String runId = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        summary.runId = runId;
        stage(5, "LoRA SFT run (registry -> trainer-service)", () -> {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("runId", runId);
            request.put("modelName", TUNED_MODEL);
            request.put("baseModel", baseUri);
            request.put("dataset", Map.of("id", INSTRUCTIONS, "version", summary.instructions.path("version").asInt()));
            request.put("method", "sft");
            request.put("adapter", "lora");
            request.put("lora", LocalDemo.LORA);
            request.put("hyperparameters", LocalDemo.hyperparameters(epochs));
            request.put("evaluation", Map.of("metrics", METRICS, "maxSamples", 24));
            request.put("metadata", Map.of("submittedBy", "tuneforge demo"));
            Path requestFile = workdir.resolve("request.json");
            Files.writeString(requestFile, io.tuneforge.contracts.Json.write(request));
            // the run takes seconds; the limit only keeps a trainer that never reports from hanging the demo (and CI)
            cli("submit", "--request", requestFile.toString(), "--watch", "--timeout", "900");
            summary.loss = RunOutcome.loss(registry, runId);
            return null;
        });

        ServiceClient eval = new ServiceClient("eval-service", settings.serviceUrl(PlatformSettings.EVAL_URL, null),
                null);
        stage(6, "evaluation (eval-service)", () -> {
            String adapterUri = "s3://" + bucket + "/" + ObjectKeys.runPrefix(runId) + "adapter/";
            Map<String, Object> seenRequest = new LinkedHashMap<>();
            seenRequest.put("evalId", "eval-" + runId + "-seen");
            seenRequest.put("runId", runId);
            seenRequest.put("baseModel", baseUri);
            seenRequest.put("adapterUri", adapterUri);
            seenRequest.put("dataset", Map.of("datasetId", SEEN, "version", summary.seen.path("version").asInt()));
            seenRequest.put("metrics", METRICS);
            seenRequest.put("maxSamples", 24);
            seenRequest.put("maxNewTokens", 24);
            eval.post("api/evaluations", seenRequest);
            summary.heldOut = Evaluations.await(eval, "eval-" + runId, Duration.ofMinutes(4));
            summary.seenEval = Evaluations.await(eval, "eval-" + runId + "-seen", Duration.ofMinutes(4));
            return null;
        });

        stage(7, "registered model version (registry)", () -> {
            summary.modelVersion = RunOutcome.awaitModelVersion(registry, runId, Duration.ofMinutes(2));
            System.out.printf("registered %s version %d%n", summary.modelVersion.path("modelName").asText(),
                    summary.modelVersion.path("version").asInt());
            return null;
        });
        return summary;
    }

    private static JsonNode upload(DataServiceClient data, String name, Path file, Map<String, String> query)
            throws Exception {
        JsonNode version = data.upload(name, file, query);
        JsonNode c = version.path("counts");
        System.out.printf("dataset %s v%d: %d in, %d train, %d eval, %d rejected%n", name,
                version.path("version").asInt(), c.path("input").asLong(), c.path("train").asLong(),
                c.path("eval").asLong(), c.path("rejected").asLong());
        return version;
    }

    private static void download(DataServiceClient data, String name, int version, String file, Path target)
            throws Exception {
        JsonNode link = data.get("api/datasets/" + name + "/versions/" + version + "/download",
                Map.of("file", file, "redirect", "false"));
        try (InputStream in = URI.create(link.path("url").asText()).toURL().openStream()) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Runs a tuneforge command in this JVM; its non-zero exit code fails the stage (its message is above). */
    private static void cli(String... args) {
        int code = TuneForgeCli.run(args);
        if (code != 0) {
            throw new IllegalStateException("`tuneforge " + String.join(" ", args) + "` ended with exit code " + code
                    + "; its message is above");
        }
    }

    /** Runs one stage; a failure names the stage and keeps the reason. */
    private static <T> T stage(int n, String title, Callable<T> body) throws Exception {
        System.out.printf("%n== %d/%d %s%n", n, STAGES, title);
        try {
            return body.call();
        } catch (Exception | Error e) {
            throw new IllegalStateException("demo stage " + n + "/" + STAGES + " (" + title + ") failed: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }
}
