package io.tuneforge.cli.datasets;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code tuneforge datasets show NAME [--version N]}: the versions of a dataset, or one version's manifest. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show the versions of dataset NAME, or with --version the manifest of one.")
public final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ServiceUrl service;

    @Parameters(index = "0", paramLabel = "NAME", description = "The dataset.")
    String name;

    @Option(names = "--version", paramLabel = "N", description = "One version: its counts, reasons, tokens and files.")
    Integer version;

    @Option(names = "--json", description = "Print the service's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DataServiceClient client = service.client();
        String path = "api/datasets/" + DataServiceClient.segment(name) + "/versions"
                + (version == null ? "" : "/" + version);
        JsonNode answer = client.get(path, Map.of());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } else if (version == null) {
            VersionTables.printVersions(out, name, answer);
        } else {
            VersionTables.printManifest(out, name, version, answer);
        }
        out.flush();
        return 0;
    }
}
