package io.tuneforge.dataprep.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.dedup.LshParameters;
import io.tuneforge.dataprep.format.FormatDetection;
import io.tuneforge.dataprep.read.InputContainer;
import io.tuneforge.dataprep.read.OpenedInput;
import io.tuneforge.dataprep.sink.WrittenFile;

import java.util.List;
import java.util.Map;

/**
 * manifest.json: format and how it was detected, the input (name, size, SHA-256, layout), counts per stage and
 * reason, cleaning per rule, token lengths, language mix, dedup and split details, the other files' sizes and
 * digests, the settings, the parent version. Field order is fixed.
 */
final class ManifestBuilder {

    private final PipelineSettings settings;
    private final String inputName;
    private final OpenedInput opened;
    private final RunStatistics stats;

    ManifestBuilder(PipelineSettings settings, String inputName, OpenedInput opened, RunStatistics stats) {
        this.settings = settings;
        this.inputName = inputName;
        this.opened = opened;
        this.stats = stats;
    }

    /** The manifest of a finished run; {@code files} are the data files (the manifest cannot describe itself). */
    ObjectNode build(FormatDetection detection, DatasetFormat outputFormat, LshParameters lsh, long exactDuplicates,
            long nearDuplicates, List<String> strata, long train, long eval, long[][] bySource,
            Map<String, WrittenFile> files) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode m = f.objectNode();
        m.put("schemaVersion", 1);
        m.put("createdAt", settings.clock().instant().toString());
        if (settings.parent() != null) {
            ObjectNode parent = m.putObject("parent");
            parent.put("datasetId", settings.parent().datasetId());
            parent.put("version", settings.parent().version());
        }
        m.put("format", outputFormat.wireName());
        ObjectNode d = m.putObject("detection");
        d.put("format", detection.format().wireName());
        d.put("detected", detection.detected());
        d.put("sampled", detection.sampled());
        ObjectNode votes = d.putObject("votes");
        detection.votes().forEach((k, v) -> votes.put(k.wireName(), v));
        ObjectNode sampleSpellings = d.putObject("spellings");
        detection.spellings().forEach((k, v) -> sampleSpellings.put(k.wireName(), v));
        d.put("unknown", detection.unknown());

        ObjectNode in = m.putObject("input");
        in.put("name", inputName);
        in.put("bytes", opened.raw().count());
        in.put("sha256", opened.raw().sha256());
        in.put("gzip", opened.gzip());
        in.put("container", opened.container().wireName());
        in.put("records", stats.inputRecords());
        in.put("recordUnit", opened.container() == InputContainer.JSON_ARRAY ? "array element"
                : opened.container() == InputContainer.CSV ? "row (header excluded)" : "line (blank lines included)");
        if (opened.csvHeader() != null) {
            in.putPOJO("csvColumns", opened.csvHeader());
        }

        ObjectNode counts = m.putObject("counts");
        counts.put("input", stats.inputRecords());
        counts.put("train", train);
        counts.put("eval", eval);
        counts.put("rejected", stats.rejectedRecords());
        m.set("stages", stats.stagesJson());
        ObjectNode reasons = m.putObject("rejectedByReason");
        stats.rejectedByReason().forEach(reasons::put);
        m.set("spellings", stats.spellingsJson());
        m.set("cleaning", stats.cleaningJson());
        m.set("tokens", stats.tokens().toJson(settings.tokenCounter().description()));
        m.set("languageMix", stats.languagesJson());

        ObjectNode dedup = m.putObject("dedup");
        dedup.put("exactDuplicates", exactDuplicates);
        dedup.put("nearDuplicates", nearDuplicates);
        if (lsh != null) {
            dedup.put("threshold", settings.nearDupThreshold());
            dedup.put("shingleSize", settings.shingleSize());
            dedup.put("permutations", settings.numPermutations());
            dedup.put("bands", lsh.bands());
            dedup.put("rows", lsh.rows());
        }
        ObjectNode split = m.putObject("split");
        split.put("seed", settings.seed());
        split.put("train", train);
        split.put("eval", eval);
        split.put("stratifiedBySource", settings.stratifyBySource());
        split.put("method", "the eval records are those of lowest rank = first 8 bytes of SHA-256(seed, record digest)");
        if (strata.size() > 1 || (strata.size() == 1 && !strata.get(0).isEmpty())) {
            ObjectNode sources = split.putObject("bySource");
            for (int i = 0; i < strata.size(); i++) {
                ObjectNode o = sources.putObject(strata.get(i).isEmpty() ? "(none)" : strata.get(i));
                o.put("train", bySource[i][0]);
                o.put("eval", bySource[i][1]);
            }
        }

        ObjectNode filesNode = m.putObject("files");
        files.forEach((name, w) -> {
            ObjectNode o = filesNode.putObject(name);
            o.put("bytes", w.bytes());
            o.put("sha256", w.sha256());
            o.put("records", w.lines());
        });
        m.set("settings", Json.mapper().valueToTree(settings.describe()));
        return m;
    }
}
