package io.tuneforge.dataprep.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.dataprep.format.Spelling;
import io.tuneforge.dataprep.validate.Reason;

import java.util.List;

/** What the per-record work made of one input record: rejected, or a candidate for dedup and the split. */
public sealed interface ProcessedRecord permits ProcessedRecord.Rejected, ProcessedRecord.Candidate {

    long line();

    /** The input record for {@code rejected.jsonl}: its parsed JSON, or its text when it did not parse. */
    JsonNode original();

    /**
     * @param spelling the record's spelling when it was mapped far enough to know it, else null
     * @param cleaning changes per cleaning rule when the record was cleaned before being rejected, else null
     */
    record Rejected(long line, List<Reason> reasons, JsonNode original, Spelling spelling, int[] cleaning)
            implements ProcessedRecord {
    }

    /**
     * A record that passed every per-record check.
     *
     * @param canonical the output line (canonical JSON)
     * @param digest    exact-duplicate key (SHA-256 of the normalised record)
     * @param signature MinHash signature, or null when near-dedup is off or there is no text
     * @param rank      split rank under the run's seed
     * @param source    the record's source label, or null
     * @param tokens    token length
     * @param letters   letters per script {cjk, latin, other}
     * @param cleaning  changes per cleaning rule
     */
    record Candidate(long line, JsonNode original, Spelling spelling, byte[] canonical, byte[] digest, int[] signature,
                     long rank, String source, int tokens, long[] letters, int[] cleaning) implements ProcessedRecord {
    }
}
