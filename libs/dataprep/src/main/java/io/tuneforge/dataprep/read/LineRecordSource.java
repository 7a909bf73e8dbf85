package io.tuneforge.dataprep.read;

import java.io.IOException;

/**
 * JSON Lines: one record per line ({@code \n} or {@code \r\n}); a last line without a line break counts, an empty
 * end after the last line break does not. A line longer than the maximum record size is skipped to its end
 * without being kept: only its first {@link #PREVIEW_BYTES} bytes come back, flagged {@code truncated}.
 */
public final class LineRecordSource implements RecordSource {

    /** Bytes of an oversized record that are kept for {@code rejected.jsonl}. */
    public static final int PREVIEW_BYTES = 256;

    private final ByteReader reader;
    private final GrowableBytes line;
    private long lineNumber;

    public LineRecordSource(ByteReader reader, long maxRecordBytes) {
        this.reader = reader;
        this.line = new GrowableBytes(maxRecordBytes);
    }

    @Override
    public RawRecord next() throws IOException {
        if (!reader.fill()) {
            return null;
        }
        line.reset();
        lineNumber++;
        while (reader.fill()) {
            byte[] buf = reader.buffer();
            int start = reader.position();
            int end = reader.limit();
            int i = start;
            while (i < end && buf[i] != '\n') {
                i++;
            }
            line.append(buf, start, i - start);
            if (i < end) {
                reader.advance(i - start + 1);
                break;
            }
            reader.advance(i - start);
        }
        return toRecord(lineNumber, line);
    }

    static RawRecord toRecord(long number, GrowableBytes bytes) {
        boolean truncated = bytes.truncated();
        return new RawRecord(number, bytes.bytes(truncated ? PREVIEW_BYTES : Integer.MAX_VALUE, true),
                bytes.total(), truncated);
    }
}
