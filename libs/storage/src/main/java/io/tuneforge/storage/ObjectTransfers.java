package io.tuneforge.storage;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Whole directories up and down (models, adapters, checkpoints, dataset versions) for {@link ArtifactStore}. */
final class ObjectTransfers {

    private final ArtifactStore store;

    ObjectTransfers(ArtifactStore store) {
        this.store = store;
    }

    /** Uploads regular files in relative-path order; {@code last}, if given, goes up after all others. */
    List<ObjectInfo> upload(Path dir, String prefix, String last) {
        String base = directoryPrefix(prefix);
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new StorageException("upload", store.bucket(), base, "'" + dir + "' is not a directory");
        }
        List<Path> files = store.call("upload", base, () -> {
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile)
                        .sorted(Comparator.comparing(f -> relative(root, f)))
                        .collect(Collectors.toCollection(ArrayList::new));
            }
        });
        if (last != null) {
            Path manifest = root.resolve(last).normalize();
            if (!files.remove(manifest)) {
                throw new StorageException("publish", store.bucket(), base + last,
                        "the manifest '" + last + "' is not a file in " + dir + "; write it before publishing");
            }
            files.add(manifest);
        }
        List<ObjectInfo> uploaded = new ArrayList<>();
        for (Path file : files) {
            uploaded.add(store.put(base + relative(root, file), file));
        }
        return uploaded;
    }

    List<ObjectInfo> download(String prefix, Path dir) {
        String base = directoryPrefix(prefix);
        Path root = dir.toAbsolutePath().normalize();
        List<ObjectInfo> objects = store.list(base, true).stream().filter(o -> !o.key().endsWith("/")).toList();
        if (objects.isEmpty()) {
            throw new NoSuchObjectException("download", store.bucket(), base, "no objects under this prefix");
        }
        List<ObjectInfo> downloaded = new ArrayList<>();
        for (ObjectInfo object : objects) {
            Path target = root.resolve(object.key().substring(base.length())).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new StorageException("download", store.bucket(), object.key(),
                        "the key would be written outside " + root + "; refusing");
            }
            downloaded.add(downloadFile(object.key(), target));
        }
        return downloaded;
    }

    /** Streams into a hidden temporary file beside the target, checks the digest, then moves it in place. */
    ObjectInfo downloadFile(String key, Path file) {
        Path target = file.toAbsolutePath().normalize();
        return store.call("download", key, () -> {
            Files.createDirectories(target.getParent());
            Path part = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try {
                GetObjectResponse response = store.client().getObject(
                        GetObjectArgs.builder().bucket(store.bucket()).object(key).build());
                String expected = response.headers().get("x-amz-meta-" + ArtifactStore.SHA256_METADATA);
                String actual;
                long size;
                try (InputStream in = response) {
                    var digest = Sha256.newDigest();
                    try (InputStream hashing = new java.security.DigestInputStream(in, digest)) {
                        size = Files.copy(hashing, part, StandardCopyOption.REPLACE_EXISTING);
                    }
                    actual = Sha256.hex(digest);
                }
                if (expected != null && !expected.equalsIgnoreCase(actual)) {
                    throw new StorageException("download", store.bucket(), key, "sha256 mismatch: recorded "
                            + expected + ", received " + actual + "; the object was changed or corrupted");
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new ObjectInfo(key, size, actual, ArtifactStore.unquote(response.headers().get("ETag")),
                        lastModified(response.headers().get("Last-Modified")), response.headers().get("Content-Type"));
            } finally {
                Files.deleteIfExists(part);
            }
        });
    }

    /** {@code ""} stays (the whole bucket); anything else ends in exactly one {@code /}. */
    static String directoryPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        if (prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must not start with '/', e.g. runs/r1/adapter/");
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static String relative(Path dir, Path file) {
        List<String> parts = new ArrayList<>();
        dir.relativize(file).forEach(part -> parts.add(part.toString()));
        return String.join("/", parts);
    }

    private static Instant lastModified(String header) {
        if (header == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
