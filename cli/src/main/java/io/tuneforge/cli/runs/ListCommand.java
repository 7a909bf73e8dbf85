package io.tuneforge.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.RegistryOptions;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.training.TrainingStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tuneforge runs list [--status S] [--limit N]}: newest runs first, one line each. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List training runs, newest first.")
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--status", paramLabel = "S",
            description = "Only runs in this status: validating, queued, running, succeeded, failed, cancelled.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs (1-100). Default: 20.")
    int limit;

    @Option(names = "--json", description = "Print the registry's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || limit > 100) {
            throw new IllegalArgumentException("--limit must be 1-100, got " + limit);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("size", Integer.toString(limit));
        if (status != null) {
            query.put("status", TrainingStatus.fromWire(status.strip()).wireName());
        }
        JsonNode page = registry.client().get("api/runs", query);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(page));
        } else {
            RunTables.printRuns(out, page);
        }
        out.flush();
        return 0;
    }
}
