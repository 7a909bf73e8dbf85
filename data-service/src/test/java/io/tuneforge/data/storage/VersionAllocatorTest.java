package io.tuneforge.data.storage;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.data.config.DataServiceConfig;
import io.tuneforge.localstack.quarkus.LocalStackResource;
import io.tuneforge.servicekit.dataset.ObjectStoreDatasetSink;
import io.tuneforge.servicekit.dataset.VersionAllocator;
import io.tuneforge.servicekit.dataset.VersionClaim;
import io.tuneforge.storage.ArtifactStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.tuneforge.data.testing.TestDatasets.keysUnder;
import static io.tuneforge.data.testing.TestDatasets.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Version numbers against the real S3 store: several "replicas" (allocators) claiming at once never share one. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "postgres", value = "false"),
        @ResourceArg(name = "topics", value = "tuneforge.dataset.commands,tuneforge.dataset.commands.dlq,"
                + "tuneforge.dataset.events")})
class VersionAllocatorTest {

    @Inject
    ArtifactStore store;

    @Inject
    DatasetCatalog catalog;

    @Inject
    DataServiceConfig config;

    @Test
    void claimsFromThreeReplicasAtOnceAreAllDifferent() throws Exception {
        String datasetId = name("race");
        List<VersionAllocator> replicas = List.of(replica(), replica(), replica());
        ExecutorService pool = Executors.newFixedThreadPool(9);
        List<Future<VersionClaim>> claims = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                VersionAllocator replica = replicas.get(i % 3);
                claims.add(pool.submit((Callable<VersionClaim>) () -> replica.claim(datasetId)));
            }
            Set<Integer> versions = new TreeSet<>();
            for (Future<VersionClaim> claim : claims) {
                versions.add(claim.get().version());
            }

            assertEquals(9, versions.size(), "nine claims, nine numbers: " + versions);
            assertEquals(9, keysUnder(store, datasetId).size(), "one claim object each: " + keysUnder(store, datasetId));
            assertEquals(List.of(), catalog.publishedVersions(datasetId), "claims are not published versions");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimLeftByADeadWriterIsSkippedAndNeverShownAsAVersion() {
        String datasetId = name("stale");
        store.putBytes(ObjectKeys.datasetVersionPrefix(datasetId, 1) + ".claim-dead-writer",
                "{}".getBytes(StandardCharsets.UTF_8), "application/json");

        VersionClaim claim = replica().claim(datasetId);

        assertEquals(2, claim.version());
        assertEquals(List.of(), catalog.publishedVersions(datasetId));
        assertEquals(2, replica().highestUsedVersion(datasetId));
    }

    @Test
    void anAbortedSinkRemovesItsFilesAndClaimSoTheNumberIsUsedAgain() throws Exception {
        String datasetId = name("abort");
        Path temp = Files.createTempDirectory("sink-test");
        ObjectStoreDatasetSink sink = new ObjectStoreDatasetSink(store, replica(), datasetId, temp);
        try (OutputStream out = sink.create(ObjectKeys.REJECTED_FILE)) {
            out.write("{\"line\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(1, sink.version());
        assertTrue(store.exists(ObjectKeys.datasetFile(datasetId, 1, ObjectKeys.REJECTED_FILE)),
                "a closed file is uploaded at once (invisible without a manifest)");

        sink.abort();

        assertEquals(List.of(), keysUnder(store, datasetId));
        assertEquals(1, replica().claim(datasetId).version());
        try (var files = Files.list(temp)) {
            assertEquals(List.of(), files.toList(), "the spool directory is gone");
        }
    }

    @Test
    void aCommittedSinkPublishesTheManifestLastAndDropsItsClaim() throws Exception {
        String datasetId = name("commit");
        ObjectStoreDatasetSink sink = new ObjectStoreDatasetSink(store, replica(), datasetId,
                Files.createTempDirectory("sink-test"));
        for (String file : List.of(ObjectKeys.REJECTED_FILE, ObjectKeys.TRAIN_FILE, ObjectKeys.EVAL_FILE,
                ObjectKeys.MANIFEST_FILE)) {
            try (OutputStream out = sink.create(file)) {
                out.write(("{\"file\":\"" + file + "\"}\n").getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(List.of(), catalog.publishedVersions(datasetId), "not published before the commit");
        }

        sink.commit();

        assertEquals(List.of(1), catalog.publishedVersions(datasetId));
        String prefix = ObjectKeys.datasetVersionPrefix(datasetId, 1);
        assertEquals(List.of(prefix + "eval.jsonl", prefix + "manifest.json", prefix + "rejected.jsonl",
                prefix + "train.jsonl"), keysUnder(store, datasetId));
        assertEquals(4, sink.uploaded().size());
        sink.abort();   // after a commit: changes nothing
        assertEquals(List.of(1), catalog.publishedVersions(datasetId));
    }

    /** A second replica: its own locks, the same store. */
    private VersionAllocator replica() {
        return new VersionAllocator(store, config.claimAttempts(), "data-service");
    }
}
