package io.tuneforge.cli.models;

import io.tuneforge.cli.client.PlatformSettings;
import io.tuneforge.cli.data.Sizes;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code tuneforge models import DIR --name NAME}: checks DIR is a Llama-family Hugging Face model directory, then
 * uploads it to {@code models/NAME/} in the platform's bucket. The marker {@code manifest.json} (every file with size
 * and SHA-256) is written last and removed first when a model is replaced, so a reader that finds it finds a whole
 * model; objects of an earlier import that the new one lacks are removed before it.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Upload a Hugging Face model directory to the platform's object store as models/NAME/.")
public final class ImportCommand implements Callable<Integer> {

    /** The marker of a whole upload, written last. */
    static final String MARKER = ObjectKeys.MANIFEST_FILE;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Model directory: config.json, *.safetensors, tokenizer.json.")
    Path dir;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Model name in the store; training requests refer to s3://<bucket>/models/NAME/.")
    String name;

    @Override
    public Integer call() {
        String prefix = ObjectKeys.modelPrefix(name);
        ModelDirectory model = ModelDirectory.check(dir, MARKER);
        ArtifactStore store = new ArtifactStore(PlatformSettings.load().storage());
        store.ensureBucket();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        store.delete(prefix + MARKER);

        List<Map<String, Object>> files = new ArrayList<>();
        long done = 0;
        boolean terminal = System.console() != null;
        for (Path file : model.files()) {
            String relative = file.toString().replace('\\', '/');
            ObjectInfo info = store.put(prefix + relative, model.dir().resolve(file));
            done += info.size();
            err.printf(Locale.ROOT, "%suploaded %s of %s (%d/%d files)%s", terminal ? "\r" : "", Sizes.bytes(done),
                    Sizes.bytes(model.totalBytes()), files.size() + 1, model.files().size(),
                    terminal ? "  " : System.lineSeparator());
            err.flush();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", relative);
            entry.put("sizeBytes", info.size());
            entry.put("sha256", info.sha256());
            files.add(entry);
        }
        if (terminal) {
            err.println();
        }
        Set<String> wanted = files.stream().map(f -> prefix + f.get("path")).collect(Collectors.toSet());
        for (ObjectInfo stale : store.list(prefix, true)) {
            if (!wanted.contains(stale.key())) {
                store.delete(stale.key());
            }
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 1);
        manifest.put("name", name);
        manifest.put("architecture", model.config().architecture());
        manifest.put("modelType", model.config().modelType());
        manifest.put("parameters", model.config().parameterCount());
        manifest.put("totalBytes", model.totalBytes());
        manifest.put("importedAt", Instant.now().toString());
        manifest.put("files", files);
        store.putJson(prefix + MARKER, manifest);

        out.printf("imported %s (%s, %,d parameters, %d files, %s) as %s%n", name, model.config().architecture(),
                model.config().parameterCount(), files.size(), Sizes.bytes(model.totalBytes()), store.uri(prefix));
        out.flush();
        return 0;
    }
}
