package io.tuneforge.data.testing;

import io.tuneforge.contracts.Json;
import io.tuneforge.storage.ArtifactStore;
import io.tuneforge.storage.ObjectInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/** Deterministic small datasets whose records are far apart (no accidental near duplicates), and store helpers. */
public final class TestDatasets {

    private static final String[] WORDS = ("river mountain copper lantern orchard violet harbor meadow crystal falcon"
            + " thunder willow garnet prairie beacon cedar glacier ember saffron tundra marble quartz canyon lagoon"
            + " juniper cobalt summit nectar pebble aurora basalt citrus delta fjord granite hollow island jasmine"
            + " kernel lotus maple nomad oasis pepper quill raven sierra timber umber velvet walnut yonder zephyr"
            + " anchor bramble cinder dune estuary fennel grove heather indigo jetty kelp lichen mist nettle onyx")
            .split(" ");

    private TestDatasets() {
    }

    /** A dataset name no other test uses. */
    public static String name(String what) {
        return "ds-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code n} instruction records as JSON objects (field order instruction, input, output). */
    public static List<Map<String, Object>> instructions(int n, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("instruction", "Task " + i + ": " + words(random, 12));
            r.put("input", words(random, 6));
            r.put("output", words(random, 14));
            records.add(r);
        }
        return records;
    }

    /** The records as JSON Lines. */
    public static String jsonl(List<Map<String, Object>> records) {
        StringBuilder sb = new StringBuilder();
        records.forEach(r -> sb.append(Json.write(r)).append('\n'));
        return sb.toString();
    }

    /** The records as CSV with a header row (instruction, input, output), every cell quoted. */
    public static String csv(List<Map<String, Object>> records) {
        StringBuilder sb = new StringBuilder("instruction,input,output\n");
        for (Map<String, Object> r : records) {
            sb.append(cell(r.get("instruction"))).append(',').append(cell(r.get("input"))).append(',')
                    .append(cell(r.get("output"))).append('\n');
        }
        return sb.toString();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Every key under {@code datasets/{name}/}, claims included. */
    public static List<String> keysUnder(ArtifactStore store, String datasetId) {
        return store.list("datasets/" + datasetId + "/", true).stream().map(ObjectInfo::key).toList();
    }

    /** Lines of a file in the store. */
    public static List<String> lines(ArtifactStore store, String key) {
        String text = new String(store.getBytes(key), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static String words(Random random, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static String cell(Object value) {
        return "\"" + String.valueOf(value).replace("\"", "\"\"") + "\"";
    }
}
