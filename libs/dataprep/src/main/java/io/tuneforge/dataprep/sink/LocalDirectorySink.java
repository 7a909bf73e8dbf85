package io.tuneforge.dataprep.sink;

import io.tuneforge.contracts.storage.ObjectKeys;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A dataset version as files in a local directory. Files are written into a hidden staging directory inside it
 * ({@code .tuneforge-staging-<uuid>}); {@link #commit} first removes an older {@code manifest.json}, then renames
 * the data files into place (atomic renames on the same file system), then the manifest, then removes the staging
 * directory. {@link #abort} removes the staging directory: the directory is left as it was.
 */
public final class LocalDirectorySink implements DatasetSink {

    private final Path directory;
    private final List<String> created = new ArrayList<>();
    private Path staging;
    private boolean done;

    /** @param directory the version's directory; created when missing */
    public LocalDirectorySink(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public OutputStream create(String fileName) throws IOException {
        if (done) {
            throw new IllegalStateException("this sink was already committed or aborted");
        }
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("'" + fileName + "' is not a plain file name such as train.jsonl");
        }
        if (created.contains(fileName)) {
            throw new IllegalStateException(fileName + " was already created in this sink");
        }
        if (staging == null) {
            if (Files.exists(directory) && !Files.isDirectory(directory)) {
                throw new FileAlreadyExistsException(directory.toString(), null, "exists and is not a directory");
            }
            Files.createDirectories(directory);
            staging = Files.createDirectory(directory.resolve(".tuneforge-staging-" + UUID.randomUUID()));
        }
        created.add(fileName);
        return new BufferedOutputStream(Files.newOutputStream(staging.resolve(fileName)), 1 << 16);
    }

    @Override
    public void commit() throws IOException {
        if (done || staging == null) {
            throw new IllegalStateException(done ? "this sink was already committed or aborted" : "nothing to commit");
        }
        Files.deleteIfExists(directory.resolve(ObjectKeys.MANIFEST_FILE));
        for (String name : created) {
            if (!name.equals(ObjectKeys.MANIFEST_FILE)) {
                move(name);
            }
        }
        if (created.contains(ObjectKeys.MANIFEST_FILE)) {
            move(ObjectKeys.MANIFEST_FILE);
        }
        done = true;
        deleteStaging();
    }

    private void move(String name) throws IOException {
        Path from = staging.resolve(name);
        Path to = directory.resolve(name);
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void abort() {
        done = true;
        try {
            deleteStaging();
        } catch (IOException e) {
            // best effort: a leftover hidden staging directory does not hide or damage a version
        }
    }

    private void deleteStaging() throws IOException {
        if (staging == null || !Files.exists(staging)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String describe() {
        return directory.toString();
    }
}
