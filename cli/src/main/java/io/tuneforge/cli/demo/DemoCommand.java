package io.tuneforge.cli.demo;

import io.tuneforge.cli.platform.PlatformHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge demo}: the README's first command. By default the platform demo ({@link PlatformDemo}: {@code up},
 * upload, augment, train, evaluate, register, summary); {@code --local} runs the same job in this JVM without any
 * service ({@link LocalDemo}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run TuneForge end to end on the bundled bilingual sample and print a summary.",
                "Default: on the local platform (`tuneforge up` if it is not up): generate the tiny model and upload"
                        + " it, upload the instruction and preference sets to data-service, augment a slice through"
                        + " augment-service (which asks eval-service's own OpenAI-compatible /v1), submit a LoRA SFT"
                        + " run to the registry, watch it, wait for the evaluation and the registered version. The"
                        + " platform stays up afterwards unless --down.",
                "--local: the same job in this JVM (model init-tiny, data prepare, train, eval), no services.",
                "Exit code 0 when every stage succeeded; 1 with the stage and the reason otherwise."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--local", description = "Run the job in this JVM instead of on the platform.")
    boolean local;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Where the demo writes its model, data and summary.json. Default: .tuneforge/demo in the"
                    + " repository.")
    Path workdir;

    @Option(names = "--epochs", defaultValue = "30", description = "Training epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--down", description = "Stop the platform at the end (`tuneforge down`), even when a stage failed.")
    boolean down;

    @Option(names = "--port-offset", defaultValue = "0", paramLabel = "N",
            description = "Ports of a platform this demo starts: every default port + N. Default: ${DEFAULT-VALUE}.")
    int portOffset;

    @Option(names = "--no-build", negatable = false,
            description = "Start the platform from what is packaged, without building missing or stale services.")
    boolean noBuild;

    @Override
    public Integer call() throws Exception {
        if (workdir == null) {
            workdir = PlatformHome.locate().dir().resolve("demo");
        }
        if (local) {
            return new LocalDemo(workdir, epochs).call();
        }
        return new PlatformDemo(workdir, epochs, portOffset, !noBuild, down).call();
    }
}
