package io.tuneforge.dataprep.read;

import java.io.IOException;

/**
 * The rows of a CSV file, cut at the byte level: a row ends at a line break outside double quotes (RFC 4180: a
 * quote inside a quoted cell is doubled, so counting quotes is enough), so a cell may span lines. Each row is
 * numbered by the line it starts on (the header is line 1). Rows longer than the maximum record size are skipped
 * without being kept. The first row this source returns is the header.
 */
public final class CsvRecordSource implements RecordSource {

    private final ByteReader reader;
    private final GrowableBytes row;
    private long line;

    public CsvRecordSource(ByteReader reader, long maxRecordBytes) {
        this.reader = reader;
        this.row = new GrowableBytes(maxRecordBytes);
    }

    @Override
    public RawRecord next() throws IOException {
        if (!reader.fill()) {
            return null;
        }
        row.reset();
        long start = ++line;
        boolean inQuotes = false;
        while (reader.fill()) {
            byte[] buf = reader.buffer();
            int from = reader.position();
            int end = reader.limit();
            int i = from;
            boolean done = false;
            for (; i < end; i++) {
                byte b = buf[i];
                if (b == '"') {
                    inQuotes = !inQuotes;
                } else if (b == '\n') {
                    if (!inQuotes) {
                        done = true;
                        break;
                    }
                    line++;
                }
            }
            row.append(buf, from, i - from);
            reader.advance(done ? i - from + 1 : i - from);
            if (done) {
                break;
            }
        }
        return LineRecordSource.toRecord(start, row);
    }
}
