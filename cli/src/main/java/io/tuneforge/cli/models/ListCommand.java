package io.tuneforge.cli.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.cli.client.PlatformSettings;
import io.tuneforge.cli.data.Sizes;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge models list}: every {@code models/<name>/} in the store; one without the import's marker is shown
 * as incomplete (an import that broke off, or a model put there by other means).
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the models in the object store.")
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ArtifactStore store = new ArtifactStore(PlatformSettings.load().storage());
        store.ensureBucket();
        PrintWriter out = spec.commandLine().getOut();
        List<ObjectInfo> models = store.list("models/", false).stream().filter(ObjectInfo::isPrefix).toList();
        if (models.isEmpty()) {
            out.println("no models yet; import one with: tuneforge models import DIR --name NAME");
            out.flush();
            return 0;
        }
        out.printf("%-32s %-20s %16s %7s %10s  %s%n", "MODEL", "ARCHITECTURE", "PARAMETERS", "FILES", "SIZE",
                "IMPORTED");
        for (ObjectInfo m : models) {
            String prefix = m.key().endsWith("/") ? m.key() : m.key() + "/";
            String name = prefix.substring("models/".length(), prefix.length() - 1);
            if (store.exists(prefix + ImportCommand.MARKER)) {
                JsonNode manifest = store.getJson(prefix + ImportCommand.MARKER, JsonNode.class);
                out.printf("%-32s %-20s %,16d %7d %10s  %s%n", name, manifest.path("architecture").asText(),
                        manifest.path("parameters").asLong(), manifest.path("files").size(),
                        Sizes.bytes(manifest.path("totalBytes").asLong()), manifest.path("importedAt").asText());
            } else {
                List<ObjectInfo> files = store.list(prefix, true);
                out.printf("%-32s %-20s %16s %7d %10s  %s%n", name, "?", "?", files.size(),
                        Sizes.bytes(files.stream().mapToLong(ObjectInfo::size).sum()), "incomplete (no marker)");
            }
        }
        out.flush();
        return 0;
    }
}
