package io.tuneforge.dataprep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.format.FormatDetection;
import io.tuneforge.dataprep.pipeline.RunStatistics;
import io.tuneforge.dataprep.sink.WrittenFile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A published dataset version.
 *
 * @param detection    the input's format and how it was decided
 * @param outputFormat the format of train/eval (differs from the input's after a conversion)
 * @param statistics   counts per stage, reason and cleaning rule, token lengths
 * @param train        records in train.jsonl
 * @param eval         records in eval.jsonl
 * @param files        train.jsonl, eval.jsonl, rejected.jsonl and manifest.json with size and SHA-256
 * @param manifest     the manifest as written
 */
public record PipelineResult(FormatDetection detection, DatasetFormat outputFormat, RunStatistics statistics,
                             long train, long eval, Map<String, WrittenFile> files, ObjectNode manifest) {

    /** Input records (lines, rows or array elements, blank lines included). */
    public long input() {
        return statistics.inputRecords();
    }

    /** Records in rejected.jsonl. */
    public long rejected() {
        return statistics.rejectedRecords();
    }

    /** The counts DatasetPrepared carries: input, train, eval, rejected. */
    public Map<String, Long> counts() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("input", input());
        m.put("train", train);
        m.put("eval", eval);
        m.put("rejected", rejected());
        return m;
    }
}
