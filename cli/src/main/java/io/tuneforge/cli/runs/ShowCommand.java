package io.tuneforge.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.RegistryOptions;
import io.tuneforge.cli.client.ServiceClient;
import io.tuneforge.contracts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tuneforge runs show RUN_ID}: status, request summary, metrics, lineage and artifacts of one run. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one run: status, request, metrics, lineage, artifacts.")
public final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Parameters(paramLabel = "RUN_ID", description = "The run's id.")
    String runId;

    @Option(names = "--json", description = "Print the registry's answers as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ServiceClient client = registry.client();
        String path = "api/runs/" + ServiceClient.segment(runId);
        JsonNode run = client.get(path, Map.of());
        JsonNode metrics = client.get(path + "/metrics", Map.of());
        JsonNode lineage = client.get(path + "/lineage", Map.of());
        JsonNode artifacts = client.get(path + "/artifacts", Map.of());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var all = Json.mapper().createObjectNode();
            all.set("run", run);
            all.set("metrics", metrics);
            all.set("lineage", lineage);
            all.set("artifacts", artifacts);
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } else {
            RunTables.printRun(out, run, metrics, lineage, artifacts);
        }
        out.flush();
        return 0;
    }
}
