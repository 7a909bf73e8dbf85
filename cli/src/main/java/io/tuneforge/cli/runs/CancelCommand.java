package io.tuneforge.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.RegistryOptions;
import io.tuneforge.cli.client.ServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge runs cancel RUN_ID [--reason R]}: asks trainer-service, through the registry, to stop the run after
 * its current step. The registry answers 409 for a run that already ended and 404 for an unknown id.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a run: it stops after its current step.")
public final class CancelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Parameters(paramLabel = "RUN_ID", description = "The run's id.")
    String runId;

    @Option(names = "--reason", paramLabel = "R", description = "Why; kept with the run.")
    String reason;

    @Override
    public Integer call() {
        Map<String, String> body = new HashMap<>();
        if (reason != null && !reason.isBlank()) {
            body.put("reason", reason);
        }
        JsonNode answer = registry.client().post("api/runs/" + ServiceClient.segment(runId) + "/cancel", body);
        spec.commandLine().getOut().printf("cancel requested for run %s (%s); it stops after its current step%n",
                answer.path("runId").asText(runId), answer.path("reason").asText("no reason given"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
