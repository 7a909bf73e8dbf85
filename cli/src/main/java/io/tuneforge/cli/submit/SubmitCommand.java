package io.tuneforge.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.cli.client.RegistryOptions;
import io.tuneforge.cli.client.ServiceClient;
import io.tuneforge.cli.runs.RunTables;
import io.tuneforge.cli.train.TrainingConfigFile;
import io.tuneforge.contracts.event.FieldError;
import io.tuneforge.contracts.training.ParsedTrainingRequest;
import io.tuneforge.contracts.training.TrainingRequests;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code tuneforge submit --request FILE [--watch] [--run-id ID]}: validates a training request here (every bad field
 * listed, nothing sent), then submits it to registry-service's {@code POST /api/runs}. The registry, not the Kafka
 * command topic, because it is the platform's front door for submissions: it validates again with the same rules,
 * checks the caller's token (writer role), records who submitted the run, publishes TrainingRequested through its
 * outbox (so a submit either lands or is refused with 503, never half-done) and answers the run id — a client on the
 * topic would bypass all of that and need broker credentials. Prints the run id on stdout; with {@code --watch},
 * progress on stderr and then the final status and metrics. Exit code 1 when the run failed or was cancelled.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit a training request (JSON or YAML) to the platform; --watch follows it to the end.")
public final class SubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--request", required = true, paramLabel = "FILE",
            description = "Training request, .json or .yaml/.yml (fields: see libs/contracts README).")
    Path request;

    @Option(names = "--run-id", paramLabel = "ID", description = "Use this run id (else the file's, else generated).")
    String runId;

    @Option(names = "--watch", description = "Follow the run with a progress bar until it ends.")
    boolean watch;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "With --watch: stop following after this many seconds (exit code 3; the run goes on)."
                    + " Default: 0, as long as the run takes.")
    long timeoutSeconds;

    /** Exit code when --watch gave up before the run ended. */
    static final int WATCH_TIMED_OUT = 3;

    /** Milliseconds without a streamed update before the run is read again (the stream may miss changes). */
    private static final long QUIET_MILLIS = 5000;

    @Override
    public Integer call() throws Exception {
        JsonNode tree = TrainingConfigFile.read(request, "--request");
        if (runId != null && tree instanceof ObjectNode object) {
            object.put("runId", runId);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParsedTrainingRequest parsed = TrainingRequests.parse(tree);
        if (!parsed.isValid()) {
            err.println("--request " + request + " has " + parsed.describeErrors().replaceFirst(":.*", ":"));
            for (FieldError e : parsed.errors()) {
                err.println("  " + e.path() + ": " + e.reason());
            }
            err.println("nothing was submitted");
            err.flush();
            return 2;
        }
        for (FieldError w : parsed.warnings()) {
            err.println("warning: " + w.path() + ": " + w.reason());
        }
        ServiceClient client = registry.client();
        JsonNode accepted = client.post("api/runs", tree.toString());
        String id = accepted.path("runId").asText();
        out.println(id);
        out.flush();
        if (!watch) {
            err.println("submitted; follow it with: tuneforge runs show " + id);
            err.flush();
            return 0;
        }
        if (timeoutSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be 0 (no limit) or more"
                    + " seconds, got " + timeoutSeconds);
        }
        JsonNode run;
        try {
            run = new RunWatch(client, id, err, System.console() != null, QUIET_MILLIS,
                    TimeUnit.SECONDS.toMillis(timeoutSeconds)).await();
        } catch (TimeoutException e) {
            err.println("--timeout: " + e.getMessage() + "; it goes on: tuneforge runs show " + id
                    + " (or tuneforge runs cancel " + id + ")");
            err.flush();
            return WATCH_TIMED_OUT;
        }
        String status = run.path("status").asText();
        out.println("run " + id + " " + status + " (" + RunTables.steps(run) + " steps)");
        JsonNode error = run.path("error");
        if (error.isObject()) {
            out.println("error: " + error.path("code").asText() + ": " + error.path("message").asText());
        }
        RunTables.printMetrics(out, client.get("api/runs/" + ServiceClient.segment(id) + "/metrics", Map.of()));
        out.flush();
        return "succeeded".equals(status) ? 0 : 1;
    }
}
