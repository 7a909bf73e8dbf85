package io.tuneforge.trainer.training;

import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.NoSuchObjectException;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.S3Uri;
import io.tuneforge.storage.Sha256;
import io.tuneforge.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Local copies of base models under {@code <work-dir>/models/<fingerprint>/}, keyed by the model's URI and the
 * SHA-256 of every file under it: a model re-uploaded under the same prefix gets a new copy, an unchanged one is
 * downloaded once per replica. A copy is downloaded whole into a directory beside and moved into place, so a copy in
 * the cache is always complete (each file checked against its SHA-256 by the store).
 */
@ApplicationScoped
public class ModelCache {

    private static final Logger LOG = Logger.getLogger(ModelCache.class);

    private final BucketStores buckets;
    private final Path root;

    public ModelCache(BucketStores buckets, TrainerConfig config) {
        this.buckets = buckets;
        this.root = Path.of(config.workDir()).toAbsolutePath().resolve("models");
    }

    /**
     * The local directory holding every file of the model at {@code prefixUri}.
     *
     * @throws NoSuchObjectException when nothing is stored under the prefix
     */
    public synchronized Path fetch(String prefixUri) {
        S3Uri uri = BucketStores.resolve(prefixUri, "");
        ArtifactStore store = buckets.forBucket(uri.bucket());
        String fingerprint = fingerprint(store, uri);
        Path target = root.resolve(fingerprint);
        if (Files.isDirectory(target)) {
            LOG.debugf("Base model %s is cached in %s", uri, target);
            return target;
        }
        long t0 = System.nanoTime();
        Path partial = root.resolve(fingerprint + ".partial-" + ProcessHandle.current().pid());
        try {
            Workspace.deleteTree(partial);
            Files.createDirectories(partial);
            store.download(uri.key(), partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Workspace.deleteTree(partial);
            throw new UncheckedIOException("cannot cache base model " + uri + " in " + target + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            Workspace.deleteTree(partial);
            throw e;
        }
        LOG.infof("Fetched base model %s into %s in %.1f s", uri, target, (System.nanoTime() - t0) / 1e9);
        return target;
    }

    /**
     * SHA-256 over the URI and each file's relative key, digest (recorded at upload; the ETag for objects written by
     * other tools) and size, in key order; 32 hex digits are plenty to tell copies apart.
     */
    static String fingerprint(ArtifactStore store, S3Uri uri) {
        List<ObjectInfo> objects = new ArrayList<>(store.list(uri.key(), true));
        if (objects.isEmpty()) {
            throw new NoSuchObjectException("list", store.bucket(), uri.key(), "no objects under this prefix; upload the"
                    + " model in Hugging Face layout there");
        }
        objects.sort(Comparator.comparing(ObjectInfo::key));
        MessageDigest digest = Sha256.newDigest();
        digest.update(uri.toString().getBytes(StandardCharsets.UTF_8));
        for (ObjectInfo listed : objects) {
            ObjectInfo info = store.stat(listed.key()).orElse(listed);
            String content = info.sha256() != null ? info.sha256() : "etag:" + info.etag();
            String line = "\n" + listed.key().substring(uri.key().length()) + " " + content + " " + info.size();
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(digest).substring(0, 32);
    }
}
