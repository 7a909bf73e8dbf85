package io.tuneforge.registry.service;

import io.tuneforge.registry.config.RegistryConfig;
import io.tuneforge.registry.rest.ProblemException;
import io.tuneforge.servicekit.storage.BucketStores;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;
import io.tuneforge.storage.S3Uri;
import io.tuneforge.storage.StorageSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Presigned download links for artifacts in the object store (MinIO SDK presigning: computed locally, valid for
 * {@code tuneforge.registry.downloads.expiry}). When browsers reach the store under another address than the
 * services do, {@code tuneforge.registry.downloads.endpoint} names it and links are signed for that host.
 */
@ApplicationScoped
public class ArtifactLinks {

    /** Listing stops here; a checkpoint-heavy run prefix stays answerable. */
    static final int MAX_FILES = 500;

    private final BucketStores stores;
    private final RegistryConfig config;
    private final Map<String, ArtifactStore> signers = new ConcurrentHashMap<>();

    public ArtifactLinks(BucketStores stores, RegistryConfig config) {
        this.stores = stores;
        this.config = config;
    }

    /**
     * Every file under a prefix URI whose relative name {@code include} accepts, each with a link.
     *
     * @throws ProblemException 503 when the store is not configured or does not answer
     */
    public List<ArtifactLink> under(String prefixUri, Predicate<String> include) {
        S3Uri prefix = S3Uri.parse(prefixUri.endsWith("/") ? prefixUri : prefixUri + "/");
        List<ObjectInfo> objects = call(prefix, () -> stores.forBucket(prefix.bucket()).list(prefix.key(), true));
        Instant expires = Instant.now().plus(expiry());
        return objects.stream()
                .filter(o -> !o.isPrefix())
                .filter(o -> include.test(o.key().substring(prefix.key().length())))
                .limit(MAX_FILES)
                .map(o -> new ArtifactLink(o.key().substring(prefix.key().length()),
                        S3Uri.of(prefix.bucket(), o.key()).toString(), o.size(),
                        sign(S3Uri.of(prefix.bucket(), o.key())), expires))
                .toList();
    }

    /**
     * The files under a prefix URI (name below the prefix → size), without links: for pages, which link to the
     * registry's own download route so that no presigned URL is written into a page.
     *
     * @throws ProblemException 503 when the store is not configured or does not answer
     */
    public Map<String, Long> files(String prefixUri, Predicate<String> include) {
        S3Uri prefix = S3Uri.parse(prefixUri.endsWith("/") ? prefixUri : prefixUri + "/");
        Map<String, Long> files = new LinkedHashMap<>();
        call(prefix, () -> stores.forBucket(prefix.bucket()).list(prefix.key(), true)).stream()
                .filter(o -> !o.isPrefix())
                .map(o -> Map.entry(o.key().substring(prefix.key().length()), o.size()))
                .filter(e -> include.test(e.getKey()))
                .limit(MAX_FILES)
                .forEach(e -> files.put(e.getKey(), e.getValue()));
        return files;
    }

    /**
     * A link to {@code file} below a prefix URI; refuses names that leave the prefix.
     *
     * @throws ProblemException 400 for a name with '..' or a leading '/'
     */
    public String link(String prefixUri, String file) {
        if (file == null || file.isBlank() || file.startsWith("/") || file.contains("..") || file.contains("\\")) {
            throw ProblemException.badRequest("File name '" + file + "' is not a file below " + prefixUri);
        }
        S3Uri prefix = S3Uri.parse(prefixUri.endsWith("/") ? prefixUri : prefixUri + "/");
        return sign(prefix.resolve(file));
    }

    /** A link to one object (existence is not checked: the link answers 404 when it is missing). */
    public String link(String objectUri) {
        return sign(S3Uri.parse(objectUri));
    }

    private String sign(S3Uri uri) {
        return call(uri, () -> signer(uri.bucket()).presignedGet(uri.key(), expiry()).toString());
    }

    private ArtifactStore signer(String bucket) {
        ArtifactStore store = stores.forBucket(bucket);
        if (config.downloads().endpoint().isEmpty()) {
            return store;
        }
        String endpoint = config.downloads().endpoint().get();
        return signers.computeIfAbsent(bucket, b -> {
            StorageSettings s = store.settings();
            return new ArtifactStore(new StorageSettings(endpoint, s.accessKey(), s.secretKey(), s.region(), b));
        });
    }

    private Duration expiry() {
        return config.downloads().expiry();
    }

    private static <T> T call(S3Uri uri, Supplier<T> action) {
        try {
            return action.get();
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ProblemException.unavailable("The object store could not be asked about " + uri + " ("
                    + e.getMessage() + "); check tuneforge.storage.* and /q/health/group/object-store");
        }
    }
}
