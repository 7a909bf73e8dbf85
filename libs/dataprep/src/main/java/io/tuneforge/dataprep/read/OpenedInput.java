package io.tuneforge.dataprep.read;

/**
 * An input ready to be read: the records, how to parse one, and what was sniffed.
 *
 * @param records   the records in input order (for CSV, after the header)
 * @param parser    turns one decoded record into a JSON object
 * @param container the layout found (never {@link InputContainer#AUTO})
 * @param gzip      whether the input was gzip-compressed (detected by its magic bytes)
 * @param raw       the raw byte counter (compressed bytes for gzip): progress and the input's digest
 * @param csvHeader the CSV header's field names, or null
 */
public record OpenedInput(RecordSource records, RecordParser parser, InputContainer container, boolean gzip,
                          CountingInputStream raw, java.util.List<String> csvHeader) {
}
