package io.tuneforge.augment.operation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of one generation slot: one paraphrase, one of the n variations, or one back-translation of a source
 * record. One line of a chunk file ({@code augment-jobs/{jobId}/chunks/{i}.jsonl}).
 *
 * @param record    0-based index of the source record in the parent's train.jsonl
 * @param operation wire name of the operation
 * @param variant   1-based variation number (1 for the other operations)
 * @param status    {@code accepted}, {@code rejected} (by the quality gate) or {@code failed} (no answer)
 * @param reason    the gate's reason ({@code near_duplicate}, ...) or, for a failure, the failure kind
 *                  ({@code server_error}, ...); null when accepted
 * @param message   what was wrong, for a person; null when accepted
 * @param language  the record's language code
 * @param pivot     the pivot language code of a back-translation, else null
 * @param example   the generated record as canonical JSON (with {@code source} = {@code augment:<operation>}); null
 *                  when failed
 */
public record Generation(int record, String operation, int variant, String status, String reason, String message,
                         String language, String pivot, JsonNode example) {

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";

    public boolean accepted() {
        return ACCEPTED.equals(status);
    }
}
