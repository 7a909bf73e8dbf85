package io.tuneforge.augment.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.dataset.record.InstructionRecord;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.DatasetPipeline;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.record.CanonicalJson;
import io.tuneforge.dataprep.record.Example;
import io.tuneforge.servicekit.dataset.ObjectStoreDatasetSink;
import io.tuneforge.servicekit.dataset.VersionAllocator;
import io.tuneforge.storage.ArtifactStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Source versions for tests, in data-service's layout: train.jsonl through the real dataprep pipeline (so its
 * manifest is a real one), then an eval split of the given records, as a seeded split would have cut it.
 */
public final class TestDatasets {

    private TestDatasets() {
    }

    public static InstructionRecord record(String instruction, String output) {
        return new InstructionRecord(instruction, null, output, null);
    }

    public static DatasetVersionRef publish(ArtifactStore store, String datasetId, List<InstructionRecord> train,
            List<InstructionRecord> eval) {
        try {
            Path tmp = Files.createTempDirectory("augment-fixture-");
            byte[] input = lines(train);
            ObjectStoreDatasetSink sink = new ObjectStoreDatasetSink(store, new VersionAllocator(store, 5, "augment-service"),
                    datasetId, tmp);
            new DatasetPipeline(PipelineSettings.builder().evalCount(0).threads(1).tempDir(tmp).build())
                    .run(new DatasetInput("fixture.jsonl", new ByteArrayInputStream(input), input.length), sink, null);
            int version = sink.version();
            store.putBytes(ObjectKeys.datasetFile(datasetId, version, ObjectKeys.EVAL_FILE), lines(eval),
                    "application/x-ndjson");
            String manifestKey = ObjectKeys.datasetManifest(datasetId, version);
            ObjectNode manifest = store.getJson(manifestKey, ObjectNode.class);
            ((ObjectNode) manifest.path("counts")).put("eval", eval.size());
            store.putJson(manifestKey, manifest);
            return new DatasetVersionRef(datasetId, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PipelineException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] lines(List<InstructionRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (InstructionRecord r : records) {
            out.writeBytes(CanonicalJson.write(Example.of(r, null)));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The records of a JSONL object, parsed. */
    public static List<ObjectNode> read(ArtifactStore store, String key) {
        String text = new String(store.getBytes(key), StandardCharsets.UTF_8);
        return text.lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return (ObjectNode) Json.mapper().readTree(l);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
