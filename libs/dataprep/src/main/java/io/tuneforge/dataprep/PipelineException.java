package io.tuneforge.dataprep;

import java.util.Locale;

/**
 * The pipeline could not produce a dataset version; nothing was published (the sink was aborted). The message
 * names what was found and what would be right; {@link #code()} is for programs (data-service puts it in
 * {@code DatasetRejected.reason}).
 */
public class PipelineException extends Exception {

    /** Why no version was produced. */
    public enum Code {
        /** The input holds no records (zero bytes, only whitespace, or an empty JSON array). */
        EMPTY_INPUT,
        /** The input is not JSONL, a JSON array or CSV, or none of its first records is in a known format. */
        UNKNOWN_FORMAT,
        /** The input ends early or is damaged: truncated gzip, unclosed JSON array, unreadable CSV header. */
        CORRUPT_INPUT,
        /** A setting is out of range, or cannot be met by this input (e.g. an eval count above the record count). */
        INVALID_SETTINGS,
        /** Reading the input or writing temporary files or the sink failed. */
        IO_ERROR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Code code;

    public PipelineException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public PipelineException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
