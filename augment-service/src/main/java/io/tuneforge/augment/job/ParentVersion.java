package io.tuneforge.augment.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.dataprep.format.RecordMapper;
import io.tuneforge.dataprep.format.Spelling;
import io.tuneforge.dataprep.record.Example;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.storage.ArtifactStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The version a job augments: its manifest, its train.jsonl downloaded (checked against its SHA-256) to a local
 * file, and where its eval.jsonl is.
 *
 * @param trainRecords lines of train.jsonl (records: the file is canonical JSONL)
 * @param evalKey      the eval.jsonl key, or null when the version has none
 */
public record ParentVersion(DatasetVersionRef ref, DatasetFormat format, ObjectNode manifest, Path train,
                            long trainRecords, String evalKey) {

    /** Pipeline settings an augmented version inherits: the ones that decide what a record may be. */
    static final Set<String> INHERITED_SETTINGS = Set.of("maxRecordBytes", "stripHtml", "redactPii", "maxTokens",
            "exactDedup", "nearDedup", "nearDupThreshold", "shingleSize", "numPermutations", "seed");

    /**
     * @throws io.tuneforge.storage.NoSuchObjectException when the manifest or train.jsonl is missing
     */
    public static ParentVersion load(ArtifactStore store, DatasetVersionRef ref, Path dir) {
        ObjectNode manifest = store.getJson(ObjectKeys.datasetManifest(ref.datasetId(), ref.version()),
                ObjectNode.class);
        DatasetFormat format = DatasetFormat.fromWire(manifest.path("format").asText("instruction"));
        Path train = dir.resolve("parent-train.jsonl");
        store.downloadFile(ObjectKeys.datasetFile(ref.datasetId(), ref.version(), ObjectKeys.TRAIN_FILE), train);
        long lines;
        try (BufferedReader r = Files.newBufferedReader(train, StandardCharsets.UTF_8)) {
            lines = r.lines().filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + train + ": " + e.getMessage(), e);
        }
        String evalKey = ObjectKeys.datasetFile(ref.datasetId(), ref.version(), ObjectKeys.EVAL_FILE);
        return new ParentVersion(ref, format, manifest, train, lines, store.exists(evalKey) ? evalKey : null);
    }

    /** The parent's pipeline settings that an augmented version keeps ({@link #INHERITED_SETTINGS}). */
    public Map<String, Object> inheritedSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode settings = manifest.path("settings");
        for (String key : INHERITED_SETTINGS) {
            JsonNode v = settings.get(key);
            if (v != null && !v.isNull()) {
                out.put(key, Json.mapper().convertValue(v, Object.class));
            }
        }
        return out;
    }

    public double setting(String key, double dflt) {
        JsonNode v = manifest.path("settings").get(key);
        return v != null && v.isNumber() ? v.doubleValue() : dflt;
    }

    /**
     * Records {@code [from, from + lines.size())} of train.jsonl as examples.
     *
     * @throws IllegalStateException naming the line when a record is not a valid record of the version's format
     */
    public List<Example> parse(List<String> lines, int from) {
        List<Example> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            List<Reason> reasons = new ArrayList<>();
            RecordMapper.Mapped mapped;
            try {
                mapped = RecordMapper.map(Json.mapper().readTree(lines.get(i)), Spelling.canonical(format), reasons);
            } catch (IOException e) {
                throw new IllegalStateException("line " + (from + i + 1) + " of " + ref + "'s train.jsonl is not"
                        + " JSON: " + e.getMessage(), e);
            }
            if (mapped == null) {
                throw new IllegalStateException("line " + (from + i + 1) + " of " + ref + "'s train.jsonl is not a"
                        + " valid " + format.wireName() + " record: " + reasons.stream().map(Reason::message)
                        .collect(Collectors.joining("; ")));
            }
            out.add(mapped.example());
        }
        return out;
    }
}
