package io.tuneforge.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * Artifacts (datasets, models, adapters, checkpoints, reports) in one bucket of an S3-compatible
 * store, over the MinIO Java SDK. Thread-safe; keys are given by the caller (the contracts module
 * owns the layout: {@code io.tuneforge.contracts.storage.ObjectKeys}).
 *
 * <h2>Integrity</h2>
 * Every put records the SHA-256 of the bytes as user metadata {@value #SHA256_METADATA} and returns
 * it in {@link ObjectInfo}; every full read ({@link #get(String)}, {@link #getBytes},
 * {@link #downloadFile}, {@link #download}) checks the bytes against it at the end of the stream.
 * S3 sends metadata before the body, so the digest must be known first: {@link #put(String, Path)}
 * reads the file once to hash it, then uploads it; {@link #put(String, InputStream, long, String)}
 * hashes the stream (DigestInputStream) while spooling it to a temporary file in
 * {@code java.io.tmpdir} (small streams of known size stay in memory), then uploads that. Objects
 * above {@value #PART_SIZE_MIB} MiB go up in multipart uploads of {@value #PART_SIZE_MIB} MiB parts.
 *
 * <h2>Multi-file versions</h2>
 * Each object appears atomically, but a directory does not. {@link #publish} uploads a directory
 * with its manifest last; readers treat a version as present only once its manifest exists
 * ({@link #exists}), so they never see half of one. Versions are written once, under a new prefix.
 *
 * <h2>Errors</h2>
 * Everything the SDK or the network throws arrives as an unchecked {@link StorageException} naming
 * the operation and {@code s3://bucket/key}; a missing object is a {@link NoSuchObjectException}.
 */
public final class ArtifactStore {

    /** User-metadata name of the SHA-256 (sent as {@code x-amz-meta-sha256}). */
    public static final String SHA256_METADATA = "sha256";
    static final int PART_SIZE_MIB = 16;
    /** Multipart part size for large objects. */
    public static final long PART_SIZE = PART_SIZE_MIB * 1024L * 1024L;
    private static final long MAX_PARTS = 10_000;
    /** Streams of known size up to this stay in memory instead of a temporary file. */
    private static final long IN_MEMORY_LIMIT = 8L * 1024 * 1024;
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);

    private final StorageSettings settings;
    private final MinioClient client;
    private final ObjectMapper mapper;
    private final ObjectTransfers transfers;
    private final S3Calls calls;

    /** A store with a JSON mapper that ignores unknown fields and writes ISO-8601 times. */
    public ArtifactStore(StorageSettings settings) {
        this(settings, defaultMapper());
    }

    /** A store whose {@link #putJson}/{@link #getJson} use the given mapper (e.g. {@code io.tuneforge.contracts.Json.mapper()}). */
    public ArtifactStore(StorageSettings settings, ObjectMapper mapper) {
        this(settings, mapper, null);
    }

    /** With a given HTTP client (timeouts, proxies, interceptors); null means the SDK's default. */
    public ArtifactStore(StorageSettings settings, ObjectMapper mapper, OkHttpClient httpClient) {
        this.settings = settings;
        this.mapper = mapper;
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region());
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        this.client = builder.build();
        this.transfers = new ObjectTransfers(this);
        this.calls = new S3Calls(settings);
    }

    public StorageSettings settings() {
        return settings;
    }

    public String bucket() {
        return settings.bucket();
    }

    /** {@code s3://bucket/key} of a key in this store's bucket. */
    public S3Uri uri(String key) {
        return S3Uri.of(bucket(), key);
    }

    /** The key of a URI, which must name this store's bucket. */
    public String keyOf(S3Uri uri) {
        if (!uri.bucket().equals(bucket())) {
            throw new IllegalArgumentException(uri + " is in bucket '" + uri.bucket() + "', but this store uses '"
                    + bucket() + "'; set " + StorageSettings.BUCKET + " or use another ArtifactStore");
        }
        return uri.key();
    }

    /** Creates the bucket unless it exists; safe to call from several services at once. */
    public void ensureBucket() {
        call("ensureBucket", "", () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket()).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    /**
     * Writes a stream. {@code size} is its exact length, or -1 if unknown; with a known size,
     * exactly that many bytes are read and a shorter stream is an error. The stream is not closed.
     */
    public ObjectInfo put(String key, InputStream in, long size, String contentType) {
        checkKey("put", key);
        if (size < -1) {
            throw new IllegalArgumentException("size must be the exact length or -1 for unknown, got " + size);
        }
        if (size >= 0 && size <= IN_MEMORY_LIMIT) {
            byte[] bytes = call("put", key, () -> in.readNBytes((int) size));
            if (bytes.length != size) {
                throw new StorageException("put", bucket(), key, "the stream ended after " + bytes.length
                        + " bytes, but its size was given as " + size);
            }
            return putBytes(key, bytes, contentType);
        }
        try (Spool spool = call("put", key, () -> Spool.of(in, size))) {
            if (size >= 0 && spool.size() != size) {
                throw new StorageException("put", bucket(), key, "the stream ended after " + spool.size()
                        + " bytes, but its size was given as " + size);
            }
            return upload(key, spool.file(), spool.size(), spool.sha256(), contentType);
        }
    }

    /** Writes a file; its content type follows from the file name (see {@link ContentTypes}). */
    public ObjectInfo put(String key, Path file) {
        checkKey("put", key);
        long size = call("put", key, () -> java.nio.file.Files.size(file));
        String sha256 = call("put", key, () -> Sha256.of(file));
        return upload(key, file, size, sha256, ContentTypes.of(file.getFileName().toString()));
    }

    public ObjectInfo putBytes(String key, byte[] bytes, String contentType) {
        checkKey("put", key);
        String sha256 = Sha256.of(bytes);
        return call("put", key, () -> {
            client.putObject(PutObjectArgs.builder().bucket(bucket()).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                    .contentType(contentType(contentType))
                    .userMetadata(Map.of(SHA256_METADATA, sha256))
                    .build());
            return checkedStat("put", key, sha256);
        });
    }

    /** Writes {@code value} as JSON ({@code application/json}). */
    public ObjectInfo putJson(String key, Object value) {
        byte[] json = call("putJson", key, () -> mapper.writeValueAsBytes(value));
        return putBytes(key, json, "application/json");
    }

    /** The whole object as a stream, checked against its SHA-256 at the end; the caller closes it. */
    public InputStream get(String key) {
        checkKey("get", key);
        GetObjectResponse response = call("get", key, () -> client.getObject(
                GetObjectArgs.builder().bucket(bucket()).object(key).build()));
        return new VerifyingInputStream(response, response.headers().get("x-amz-meta-" + SHA256_METADATA),
                uri(key).toString());
    }

    /** {@code length} bytes from {@code offset} (not checked: a range has no recorded digest). */
    public InputStream get(String key, long offset, long length) {
        checkKey("get", key);
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("range must have offset >= 0 and length >= 1, got offset "
                    + offset + ", length " + length);
        }
        return call("get", key, () -> client.getObject(
                GetObjectArgs.builder().bucket(bucket()).object(key).offset(offset).length(length).build()));
    }

    /** The whole object in memory (for manifests, reports, small JSON), checked against its SHA-256. */
    public byte[] getBytes(String key) {
        return call("get", key, () -> {
            try (InputStream in = get(key)) {
                return in.readAllBytes();
            }
        });
    }

    public <T> T getJson(String key, Class<T> type) {
        byte[] json = getBytes(key);
        return call("getJson", key, () -> mapper.readValue(json, type));
    }

    public <T> T getJson(String key, TypeReference<T> type) {
        byte[] json = getBytes(key);
        return call("getJson", key, () -> mapper.readValue(json, type));
    }

    /** What the store knows about the object, or empty if there is none. */
    public Optional<ObjectInfo> stat(String key) {
        checkKey("stat", key);
        try {
            return Optional.of(call("stat", key, () -> info(key, client.statObject(
                    StatObjectArgs.builder().bucket(bucket()).object(key).build()))));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /**
     * Objects whose keys start with {@code prefix}, in key order. Not recursive: objects directly
     * under the prefix plus one {@link ObjectInfo#isPrefix() prefix} entry per sub-"directory".
     * Listings carry no sha256 or content type (use {@link #stat}).
     */
    public List<ObjectInfo> list(String prefix, boolean recursive) {
        String p = prefix == null ? "" : prefix;
        return call("list", p, () -> {
            List<ObjectInfo> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket())
                    .prefix(p).recursive(recursive).build())) {
                Item item = result.get();
                objects.add(item.isDir()
                        ? new ObjectInfo(item.objectName(), 0, null, null, null, null)
                        : new ObjectInfo(item.objectName(), item.size(), null, unquote(item.etag()),
                                item.lastModified() == null ? null : item.lastModified().toInstant(), null));
            }
            objects.sort(java.util.Comparator.comparing(ObjectInfo::key));
            return objects;
        });
    }

    /** Removes the object; removing one that does not exist is not an error (S3 semantics). */
    public void delete(String key) {
        checkKey("delete", key);
        call("delete", key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(key).build());
            return null;
        });
    }

    /**
     * Removes every object under the "directory" {@code prefix} and returns how many. The prefix is
     * taken as a directory ({@code runs/r1} means {@code runs/r1/}, so {@code runs/r10/} survives);
     * an empty prefix (the whole bucket) is refused.
     */
    public int deletePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.equals("/")) {
            throw new IllegalArgumentException("deletePrefix needs a non-empty prefix such as 'runs/r1/'; "
                    + "refusing to empty bucket '" + bucket() + "'");
        }
        String directory = ObjectTransfers.directoryPrefix(prefix);
        List<DeleteObject> doomed = list(directory, true).stream()
                .map(o -> new DeleteObject(o.key()))
                .toList();
        if (doomed.isEmpty()) {
            return 0;
        }
        return call("deletePrefix", directory, () -> {
            List<String> failures = new ArrayList<>();
            for (Result<DeleteError> result : client.removeObjects(
                    RemoveObjectsArgs.builder().bucket(bucket()).objects(doomed).build())) {
                DeleteError error = result.get();
                failures.add(error.objectName() + ": " + error.code() + " " + error.message());
            }
            if (!failures.isEmpty()) {
                throw new StorageException("deletePrefix", bucket(), directory, failures.size() + " of "
                        + doomed.size() + " objects were not removed: " + failures);
            }
            return doomed.size();
        });
    }

    /** Uploads every regular file under {@code dir} to {@code prefix/<relative path>}, in path order. */
    public List<ObjectInfo> upload(Path dir, String prefix) {
        return transfers.upload(dir, prefix, null);
    }

    /**
     * Uploads a multi-file version with {@code manifest} (a path relative to {@code dir}, e.g.
     * {@code manifest.json}) last, so a reader that sees the manifest sees every file.
     */
    public List<ObjectInfo> publish(Path dir, String prefix, String manifest) {
        if (manifest == null || manifest.isBlank()) {
            throw new IllegalArgumentException("publish needs the manifest's file name, e.g. manifest.json");
        }
        return transfers.upload(dir, prefix, manifest);
    }

    /**
     * Downloads every object under {@code prefix} into {@code dir}, keeping relative paths; each file
     * appears whole (written beside, checked, then moved). No objects under the prefix is a
     * {@link NoSuchObjectException}.
     */
    public List<ObjectInfo> download(String prefix, Path dir) {
        return transfers.download(prefix, dir);
    }

    /** Downloads one object to {@code file} (replacing it), checked against its SHA-256. */
    public ObjectInfo downloadFile(String key, Path file) {
        checkKey("download", key);
        return transfers.downloadFile(key, file);
    }

    /** A URL anyone can GET the object with until it expires (1 second to 7 days). */
    public URI presignedGet(String key, Duration expiry) {
        checkKey("presignedGet", key);
        if (expiry.isNegative() || expiry.getSeconds() < 1 || expiry.compareTo(MAX_PRESIGN) > 0) {
            throw new IllegalArgumentException("Presigned URL expiry must be 1 s to 7 days, got " + expiry);
        }
        return call("presignedGet", key, () -> URI.create(client.getPresignedObjectUrl(
                GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(bucket()).object(key)
                        .expiry((int) expiry.getSeconds()).build())));
    }

    @Override
    public String toString() {
        return "ArtifactStore[" + settings + "]";
    }

    // ---- package-private: used by ObjectTransfers ----

    MinioClient client() {
        return client;
    }

    /** Uploads a local file whose digest is known, multipart above {@link #PART_SIZE}. */
    ObjectInfo upload(String key, Path file, long size, String sha256, String contentType) {
        long partSize = size > PART_SIZE * MAX_PARTS ? -1 : PART_SIZE;
        return call("put", key, () -> {
            try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                client.putObject(PutObjectArgs.builder().bucket(bucket()).object(key)
                        .stream(in, size, partSize)
                        .contentType(contentType(contentType))
                        .userMetadata(Map.of(SHA256_METADATA, sha256))
                        .build());
            }
            return checkedStat("put", key, sha256);
        });
    }

    /** Runs an SDK call, turning whatever it throws into a {@link StorageException} about {@code key}. */
    <T> T call(String operation, String key, S3Calls.S3Call<T> action) {
        return calls.call(operation, key, action);
    }

    static void checkKey(String operation, String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException(operation + ": object key '" + key + "' must be non-empty, "
                    + "relative to the bucket and not end in '/', e.g. runs/r1/state.json");
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
            throw new IllegalArgumentException(operation + ": object key is longer than S3's 1024 bytes: " + key);
        }
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private ObjectInfo checkedStat(String operation, String key, String sha256) throws Exception {
        ObjectInfo info = info(key, client.statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build()));
        if (!sha256.equals(info.sha256())) {
            throw new StorageException(operation, bucket(), key, "the store kept sha256 '" + info.sha256()
                    + "' instead of '" + sha256 + "'; it must keep user metadata (S3Proxy's file-system "
                    + "backend needs a file system with user extended attributes)");
        }
        return info;
    }

    private static ObjectInfo info(String key, StatObjectResponse stat) {
        String sha256 = null;
        for (Map.Entry<String, String> entry : stat.userMetadata().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(SHA256_METADATA)) {
                sha256 = entry.getValue();
            }
        }
        Instant modified = stat.lastModified() == null ? null : stat.lastModified().toInstant();
        return new ObjectInfo(key, stat.size(), sha256, unquote(stat.etag()), modified, stat.contentType());
    }

    private static String contentType(String contentType) {
        return contentType == null || contentType.isBlank() ? ContentTypes.OCTET_STREAM : contentType;
    }

    private static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }
}
