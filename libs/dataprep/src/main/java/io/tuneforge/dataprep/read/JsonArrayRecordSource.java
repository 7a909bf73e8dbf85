package io.tuneforge.dataprep.read;

import io.tuneforge.dataprep.PipelineException;

import java.io.IOException;

/**
 * The elements of one top-level JSON array, cut at the byte level: commas and the closing bracket count only
 * outside strings and at nesting depth 0. UTF-8 multi-byte sequences never contain ASCII bytes, so the cut is right
 * even when an element is not valid UTF-8; each element is then decoded and parsed on its own, and a bad element is
 * one rejected record, not a failed file. Records are numbered by element (1-based). Elements longer than the maximum
 * record size are skipped without being kept.
 *
 * <p>Broken structure is a file error: an array that is never closed (a truncated file), or content after the
 * closing bracket.
 */
public final class JsonArrayRecordSource implements RecordSource {

    private final ByteReader reader;
    private final GrowableBytes element;
    private long elements;
    private long line = 1;
    private boolean started;
    private boolean closed;

    /** {@code reader} is positioned at the array's opening bracket (leading whitespace allowed). */
    public JsonArrayRecordSource(ByteReader reader, long maxRecordBytes) {
        this.reader = reader;
        this.element = new GrowableBytes(maxRecordBytes);
    }

    @Override
    public RawRecord next() throws IOException, PipelineException {
        if (closed) {
            return null;
        }
        skipWhitespace();
        if (!started) {
            if (reader.read() != '[') {
                throw new IllegalStateException("a JSON array reader must start at '['");
            }
            started = true;
            skipWhitespace();
            if (reader.peek() == ']') {
                reader.read();
                close();
                return null;
            }
        } else {
            int b = reader.read();
            if (b == ']') {
                close();
                return null;
            }
            if (b != ',') {
                throw corrupt(b < 0 ? "the JSON array is not closed: the input ends after element " + elements
                        + " (line " + line + "); the file is probably truncated"
                        : "expected ',' or ']' after element " + elements + " at line " + line + ", got '"
                                + (char) b + "'");
            }
        }
        long startLine = line;
        element.reset();
        scanElement(startLine);
        elements++;
        boolean truncated = element.truncated();
        byte[] bytes = element.bytes(truncated ? LineRecordSource.PREVIEW_BYTES : Integer.MAX_VALUE, false);
        return new RawRecord(elements, trimTrailingWhitespace(bytes, truncated), element.total(), truncated);
    }

    /** Copies one element's bytes up to (not including) the ',' or ']' that ends it at depth 0. */
    private void scanElement(long startLine) throws IOException, PipelineException {
        int depth = 0;
        boolean inString = false;
        boolean escape = false;
        while (true) {
            if (!reader.fill()) {
                throw corrupt("the JSON array is not closed: the input ends inside element " + (elements + 1)
                        + " (starting at line " + startLine + "); the file is probably truncated");
            }
            byte[] buf = reader.buffer();
            int start = reader.position();
            int end = reader.limit();
            int i = start;
            for (; i < end; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    line++;
                }
                if (inString) {
                    if (escape) {
                        escape = false;
                    } else if (b == '\\') {
                        escape = true;
                    } else if (b == '"') {
                        inString = false;
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || (b == ']' && depth > 0)) {
                    depth--;
                } else if (depth <= 0 && (b == ',' || b == ']')) {
                    element.append(buf, start, i - start);
                    reader.advance(i - start);
                    return;
                }
            }
            element.append(buf, start, i - start);
            reader.advance(i - start);
        }
    }

    private void close() throws IOException, PipelineException {
        closed = true;
        skipWhitespace();
        int b = reader.peek();
        if (b >= 0) {
            throw corrupt("unexpected content after the JSON array's closing ']' at line " + line + ": '" + (char) b
                    + "'; expected one JSON array per file");
        }
    }

    private void skipWhitespace() throws IOException {
        for (int b = reader.peek(); b == ' ' || b == '\t' || b == '\r' || b == '\n'; b = reader.peek()) {
            if (b == '\n') {
                line++;
            }
            reader.read();
        }
    }

    private static byte[] trimTrailingWhitespace(byte[] bytes, boolean truncated) {
        if (truncated) {
            return bytes;
        }
        int n = bytes.length;
        while (n > 0 && (bytes[n - 1] == ' ' || bytes[n - 1] == '\t' || bytes[n - 1] == '\r' || bytes[n - 1] == '\n')) {
            n--;
        }
        return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
    }

    private static PipelineException corrupt(String message) {
        return new PipelineException(PipelineException.Code.CORRUPT_INPUT, message);
    }
}
