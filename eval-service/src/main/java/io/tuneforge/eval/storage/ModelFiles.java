package io.tuneforge.eval.storage;

import io.tuneforge.eval.config.EvalConfig;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Local copies of directory-shaped artifacts (base models, adapters) named by {@code s3://} prefixes, under
 * {@code tuneforge.eval.cache-dir/<bucket>/<key>}. A prefix is downloaded once, whole, into a temporary directory
 * beside and then moved into place, so a copy in the cache is always complete (every file checked against its
 * SHA-256 by the store); models and adapters are written once under their prefix, so a copy never goes stale.
 * Two threads asking for the same prefix download it once.
 */
@ApplicationScoped
public class ModelFiles {

    private static final Logger LOG = Logger.getLogger(ModelFiles.class);

    private final BucketStores buckets;
    private final Path root;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public ModelFiles(BucketStores buckets, EvalConfig config) {
        this.buckets = buckets;
        this.root = Path.of(config.cacheDir()).toAbsolutePath();
    }

    /**
     * The local directory holding every object under {@code prefixUri}.
     *
     * @throws NoSuchObjectException when nothing is stored under the prefix
     */
    public Path fetch(String prefixUri) {
        S3Uri uri = BucketStores.resolve(prefixUri, "");
        String key = uri.key();
        Path target = root.resolve(uri.bucket()).resolve(key.isEmpty() ? "_root" : key).normalize();
        if (!target.startsWith(root)) {
            throw new IllegalArgumentException("'" + prefixUri + "' leaves the cache directory; expected a plain"
                    + " s3://bucket/prefix/");
        }
        synchronized (locks.computeIfAbsent(uri.toString(), k -> new Object())) {
            if (Files.isDirectory(target)) {
                return target;
            }
            long t0 = System.nanoTime();
            Path partial = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
            try {
                deleteTree(partial);
                Files.createDirectories(partial);
                buckets.forBucket(uri.bucket()).download(key, partial);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(partial);
                throw new UncheckedIOException("cannot cache " + uri + " in " + target + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                deleteTree(partial);
                throw e;
            }
            LOG.infof("Fetched %s into %s in %.1f s", uri, target, (System.nanoTime() - t0) / 1e9);
            return target;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not remove %s: %s", dir, e.getMessage());
        }
    }
}
