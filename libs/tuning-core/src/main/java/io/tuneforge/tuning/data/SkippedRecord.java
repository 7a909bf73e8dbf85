package io.tuneforge.tuning.data;

/**
 * A JSONL line that did not become a training example.
 *
 * @param line 1-based line number in the file
 * @param reason category (for counts)
 * @param message what is wrong and what would be right
 */
public record SkippedRecord(long line, RecordRejectedException.Reason reason, String message) {

    @Override
    public String toString() {
        return "line " + line + " (" + reason + "): " + message;
    }
}
