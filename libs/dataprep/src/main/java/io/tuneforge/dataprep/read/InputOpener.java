package io.tuneforge.dataprep.read;

import io.tuneforge.dataprep.PipelineException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Opens an input stream for reading records: counts and digests the raw bytes, unwraps gzip when the stream starts
 * with the gzip magic bytes ({@code 1F 8B}), skips a UTF-8 byte order mark, and recognises the layout from the
 * first non-blank byte ({@code [} → JSON array, {@code {} → JSON Lines, otherwise a CSV header row that names at
 * least one known field). Nothing is read beyond what sniffing needs.
 */
public final class InputOpener {

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_SNIFF = 1 << 20;

    private InputOpener() {
    }

    /**
     * @throws PipelineException {@code EMPTY_INPUT} for an input with no non-blank byte; {@code UNKNOWN_FORMAT} when
     *                           the layout is none of the three; {@code CORRUPT_INPUT} when the given layout does
     *                           not match or the CSV header is broken
     */
    public static OpenedInput open(InputStream in, InputContainer container, Map<String, String> columnMapping,
            long maxRecordBytes) throws IOException, PipelineException {
        CountingInputStream raw = new CountingInputStream(in);
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream data = gzip ? new GZIPInputStream(buffered, BUFFER) : buffered;
        ByteReader reader = new ByteReader(data, BUFFER, MAX_SNIFF);

        if (reader.peek(0) == 0xEF && reader.peek(1) == 0xBB && reader.peek(2) == 0xBF) {
            reader.advance(3);
        } else if ((reader.peek(0) == 0xFF && reader.peek(1) == 0xFE) || (reader.peek(0) == 0xFE && reader.peek(1) == 0xFF)) {
            throw new PipelineException(PipelineException.Code.UNKNOWN_FORMAT, "the input is UTF-16 text (it starts "
                    + "with a UTF-16 byte order mark); convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
        }
        int offset = 0;
        int first;
        try {
            for (first = reader.peek(0); isSpace(first); first = reader.peek(++offset)) {
                // skip leading whitespace (only peeked: blank lines stay records)
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot look")) {
                throw new PipelineException(PipelineException.Code.UNKNOWN_FORMAT, "the input starts with more than "
                        + MAX_SNIFF + " bytes of whitespace; expected JSON Lines, a JSON array or CSV");
            }
            throw e;
        }
        if (first < 0) {
            throw new PipelineException(PipelineException.Code.EMPTY_INPUT, "the input is empty"
                    + (raw.count() == 0 ? " (0 bytes)" : offset > 0 ? " (only whitespace)" : "")
                    + (gzip ? " after gzip decompression" : "") + "; expected JSON Lines, a JSON array or CSV records");
        }
        InputContainer layout = container;
        if (layout == InputContainer.AUTO) {
            layout = first == '[' ? InputContainer.JSON_ARRAY : first == '{' ? InputContainer.JSONL : InputContainer.CSV;
        } else if (layout == InputContainer.JSON_ARRAY && first != '[') {
            throw new PipelineException(PipelineException.Code.CORRUPT_INPUT, "expected a JSON array, but the input "
                    + "starts with " + preview(reader, offset));
        }
        return switch (layout) {
            case JSONL -> new OpenedInput(new LineRecordSource(reader, maxRecordBytes), new JsonRecordParser(),
                    layout, gzip, raw, null);
            case JSON_ARRAY -> new OpenedInput(new JsonArrayRecordSource(reader, maxRecordBytes),
                    new JsonRecordParser(), layout, gzip, raw, null);
            case CSV -> openCsv(reader, raw, gzip, offset, container == InputContainer.AUTO, columnMapping,
                    maxRecordBytes);
            case AUTO -> throw new IllegalStateException("unreachable");
        };
    }

    private static OpenedInput openCsv(ByteReader reader, CountingInputStream raw, boolean gzip, int offset,
            boolean sniffed, Map<String, String> columnMapping, long maxRecordBytes) throws IOException, PipelineException {
        String notOther = sniffed ? "the input is not JSON Lines ('{' first) or a JSON array ('[' first), and " : "";
        PipelineException.Code code = sniffed ? PipelineException.Code.UNKNOWN_FORMAT
                : PipelineException.Code.CORRUPT_INPUT;
        String start = preview(reader, offset);
        CsvRecordSource rows = new CsvRecordSource(reader, maxRecordBytes);
        RawRecord header = rows.next();
        while (header != null && header.blank()) {
            header = rows.next();
        }
        if (header == null || header.truncated()) {
            throw new PipelineException(code, notOther + "its first line is longer than " + maxRecordBytes
                    + " bytes, too long for a CSV header");
        }
        Utf8.Decoded text = Utf8.decode(header.bytes());
        if (!text.ok()) {
            throw new PipelineException(code, notOther + "its first line is not UTF-8 text (bytes " + text.errorBytes()
                    + " at offset " + text.errorOffset() + "); it starts with " + start);
        }
        CsvRowParser parser;
        try {
            parser = CsvRowParser.forHeader(text.text(), columnMapping);
        } catch (IllegalArgumentException e) {
            throw new PipelineException(code, notOther + e.getMessage());
        }
        boolean known = parser.columns().stream().anyMatch(CsvRowParser.KNOWN_FIELDS::contains);
        if (!known) {
            throw new PipelineException(code, notOther + "its first line " + start + " is not a CSV header naming a "
                    + "known field (columns: " + parser.columns() + "); expected columns such as instruction, input, "
                    + "output, or prompt, chosen, rejected, or a column mapping (CLI: --column NAME=FIELD)");
        }
        return new OpenedInput(rows, parser, InputContainer.CSV, gzip, raw, parser.columns());
    }

    /** The first characters from {@code offset}, quoted, for error messages. */
    private static String preview(ByteReader reader, int offset) throws IOException {
        byte[] bytes = new byte[64];
        int n = 0;
        for (int b = reader.peek(offset); b >= 0 && b != '\n' && n < bytes.length; b = reader.peek(offset + n)) {
            bytes[n++] = (byte) b;
        }
        String s = Utf8.lossy(java.util.Arrays.copyOf(bytes, n)).strip();
        return "'" + s + (n == bytes.length ? "…'" : "'");
    }

    private static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
