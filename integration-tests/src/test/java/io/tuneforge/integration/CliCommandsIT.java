package io.tuneforge.integration;

import io.tuneforge.cli.client.CliRun;
import io.tuneforge.cli.platform.LocalPlatform;
import io.tuneforge.cli.platform.PlatformHome;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's client commands against the packaged services, each finding the platform the way a user's does: through
 * {@code <tuneforge.home>/.tuneforge/platform.env} written by {@code up}. models import → datasets upload → submit
 * --watch (a few LoRA steps on the tiny model) → runs list / show → runs cancel of the ended run (the registry's 409
 * printed as title: detail). State in {@code target/it-cli}, ports + 13000.
 */
class CliCommandsIT {

    private static final int OFFSET = 13000;
    private static LocalPlatform platform;
    private static Path home;
    private static String previousHome;

    @BeforeAll
    static void up() throws IOException {
        Path root = Path.of(System.getProperty("tuneforge.repo.root", "..")).toAbsolutePath().normalize();
        home = Path.of("target", "it-cli").toAbsolutePath();
        platform = new LocalPlatform(new PlatformHome(root, home.resolve(".tuneforge")));
        platform.down(true, new PrintStream(new ByteArrayOutputStream()));
        platform.up(new LocalPlatform.Options(OFFSET, false, Duration.ofSeconds(180)), System.out);
        previousHome = System.getProperty(PlatformHome.HOME_PROPERTY);
        System.setProperty(PlatformHome.HOME_PROPERTY, home.toString());
    }

    @AfterAll
    static void down() {
        if (previousHome == null) {
            System.clearProperty(PlatformHome.HOME_PROPERTY);
        } else {
            System.setProperty(PlatformHome.HOME_PROPERTY, previousHome);
        }
        platform.down(true, System.out);
    }

    /** Runs the CLI in this JVM and echoes the transcript, so a failing assertion has the whole exchange above it. */
    private static CliRun cli(String... args) {
        CliRun run = CliRun.of(args);
        System.out.println("$ tuneforge " + String.join(" ", args) + "\n" + run.out() + run.err() + "exit " + run.code());
        return run;
    }

    @Test
    void importUploadSubmitWatchListShowCancel() throws IOException {
        Path model = home.resolve("tiny");
        TinyModel.write(model, TinySpec.defaults());
        CliRun imported = cli("models", "import", model.toString(), "--name", "it-tiny");
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.err().contains("(5/5 files)"), imported.err());
        CliRun models = cli("models", "list");
        assertTrue(models.out().lines().anyMatch(l -> l.startsWith("it-tiny") && l.contains("LlamaForCausalLM")),
                models.out());

        Path records = home.resolve("it-sft.jsonl");
        Files.writeString(records, IntStream.range(0, 24).mapToObj(i -> "{\"instruction\": \"Add " + i + " and 1.\","
                + " \"output\": \"" + (i + 1) + "\"}").collect(Collectors.joining("\n", "", "\n")));
        CliRun uploaded = cli("datasets", "upload", records.toString(), "--name", "it-sft");
        assertEquals(0, uploaded.code(), uploaded.err());

        Path request = home.resolve("request.yaml");
        Files.writeString(request, String.join("\n", "baseModel: s3://tuneforge/models/it-tiny/",
                "modelName: it-tuned", "dataset: {id: it-sft, version: 1}", "method: sft", "adapter: lora",
                "lora: {r: 4, alpha: 8}", "hyperparameters: {epochs: 1, batchSize: 4, maxSeqLength: 48,"
                        + " learningRate: 0.01, seed: 42}", ""));
        CliRun submitted = cli("submit", "--request", request.toString(), "--run-id", "it-cli-run", "--watch");
        assertEquals(0, submitted.code(), submitted.out() + submitted.err());
        assertTrue(submitted.out().startsWith("it-cli-run") && submitted.out().contains("run it-cli-run succeeded"),
                submitted.out());
        assertTrue(submitted.err().contains("1/1  loss ") && submitted.err().contains("succeeded"), submitted.err());

        CliRun listed = cli("runs", "list", "--status", "succeeded");
        assertTrue(listed.out().contains("it-cli-run") && listed.out().contains("it-sft/v1"), listed.out());
        CliRun shown = cli("runs", "show", "it-cli-run");
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().contains("status     succeeded") && shown.out().contains("lora             r=4"),
                shown.out());
        assertTrue(shown.out().contains("adapter"), "the adapter among the artifacts: " + shown.out());

        CliRun cancelled = cli("runs", "cancel", "it-cli-run", "--reason", "too late");
        assertEquals(1, cancelled.code(), cancelled.out());
        assertTrue(cancelled.err().contains("Conflict: Run 'it-cli-run' already succeeded"), cancelled.err());
    }
}
