package io.tuneforge.dataprep.read;

/**
 * One record cut from the input, still as bytes.
 *
 * @param line      the record's number as reported in {@code rejected.jsonl}: the line for JSONL and CSV (1-based;
 *                  for CSV the line where the row starts, the header being line 1), the element number for a JSON
 *                  array (1-based)
 * @param bytes     the record's bytes (without the line break); only the first bytes when {@code truncated}
 * @param size      the record's full size in bytes
 * @param truncated true when the record is larger than the maximum record size: {@code bytes} is a prefix only,
 *                  the rest was skipped without being kept
 */
public record RawRecord(long line, byte[] bytes, long size, boolean truncated) {

    /** Whether the record is only spaces, tabs and carriage returns (a blank line). */
    public boolean blank() {
        if (truncated) {
            return false;
        }
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
