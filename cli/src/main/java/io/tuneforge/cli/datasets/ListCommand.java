package io.tuneforge.cli.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.contracts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tuneforge datasets list}: every dataset with its latest published version. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the datasets and their latest version.")
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ServiceUrl service;

    @Option(names = "--json", description = "Print the service's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        JsonNode datasets = service.client().get("api/datasets", Map.of());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(datasets));
        } else {
            VersionTables.printDatasets(out, datasets);
        }
        out.flush();
        return 0;
    }
}
