package io.tuneforge.dataprep.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.dataprep.validate.ReasonCode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One CSV row → a JSON object keyed by the header's (mapped) column names. Empty cells are absent fields. Cells of
 * the list-valued fields ({@code messages}, {@code conversations}, {@code prompt}, {@code chosen}, {@code rejected})
 * that hold a JSON array or object are parsed as JSON, so conversations fit in a CSV cell.
 */
public final class CsvRowParser implements RecordParser {

    /** Fields a CSV column may be mapped onto without a column mapping (matched case-insensitively). */
    public static final Set<String> KNOWN_FIELDS = Set.of("instruction", "input", "output", "system", "prompt",
            "completion", "messages", "conversations", "chosen", "rejected", "source");

    private static final Set<String> JSON_CELLS = Set.of("messages", "conversations", "prompt", "chosen", "rejected");

    private final List<String> columns;
    private final ObjectReader reader;

    private CsvRowParser(List<String> columns, char separator) {
        this.columns = columns;
        this.reader = new CsvMapper().readerFor(String[].class)
                .with(CsvSchema.emptySchema().withColumnSeparator(separator))
                .with(CsvParser.Feature.WRAP_AS_ARRAY);
    }

    /**
     * A parser for the rows under {@code header}.
     *
     * @param header        the header row's text
     * @param columnMapping header name → field name (case-insensitive on the header name); unmapped names are used
     *                      as they are, lower-cased when they match a known field
     * @throws IllegalArgumentException when the header cannot be read or names a field twice; the message says so
     */
    public static CsvRowParser forHeader(String header, Map<String, String> columnMapping) {
        char separator = sniffSeparator(header);
        CsvRowParser raw = new CsvRowParser(List.of(), separator);
        String[] cells;
        try {
            cells = raw.cells(header);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CSV header row: " + JsonRecordParser.firstLine(
                    e.getMessage()));
        }
        List<String> names = new ArrayList<>(cells.length);
        Set<String> seen = new HashSet<>();
        for (String cell : cells) {
            String name = map(cell.strip(), columnMapping);
            if (!name.isEmpty() && !seen.add(name)) {
                throw new IllegalArgumentException("the CSV header names the field '" + name + "' twice (header: "
                        + header.strip() + ")");
            }
            names.add(name);
        }
        return new CsvRowParser(names, separator);
    }

    private static String map(String name, Map<String, String> columnMapping) {
        for (Map.Entry<String, String> e : columnMapping.entrySet()) {
            if (e.getKey().strip().equalsIgnoreCase(name)) {
                return e.getValue().strip();
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return KNOWN_FIELDS.contains(lower) ? lower : name;
    }

    /** The field names of the columns, in order (empty for an unnamed column, which is ignored). */
    public List<String> columns() {
        return columns;
    }

    /** The separator with most occurrences outside quotes in the header: comma, tab or semicolon (comma on a tie). */
    static char sniffSeparator(String header) {
        int comma = 0;
        int tab = 0;
        int semicolon = 0;
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                comma += c == ',' ? 1 : 0;
                tab += c == '\t' ? 1 : 0;
                semicolon += c == ';' ? 1 : 0;
            }
        }
        return tab > comma && tab >= semicolon ? '\t' : semicolon > comma && semicolon > tab ? ';' : ',';
    }

    private String[] cells(String row) throws IOException {
        try (MappingIterator<String[]> it = reader.readValues(row)) {
            return it.hasNext() ? it.next() : new String[0];
        }
    }

    @Override
    public JsonNode parse(String text, List<Reason> reasons, JsonNode[] parsedOut) {
        String[] cells;
        try {
            cells = cells(text);
        } catch (IOException | RuntimeException e) {
            reasons.add(Reason.whole(ReasonCode.INVALID_CSV_ROW, "cannot read the CSV row: "
                    + JsonRecordParser.firstLine(e.getMessage())));
            return null;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            if (i >= columns.size()) {
                if (!cell.isBlank()) {
                    reasons.add(Reason.whole(ReasonCode.INVALID_CSV_ROW, "the row has a value in column " + (i + 1)
                            + " but the header has only " + columns.size() + " columns"));
                    return null;
                }
                continue;
            }
            String name = columns.get(i);
            if (name.isEmpty() || cell.isEmpty()) {
                continue;
            }
            object.set(name, cellValue(name, cell));
        }
        parsedOut[0] = object;
        return object;
    }

    private static JsonNode cellValue(String name, String cell) {
        String s = cell.strip();
        if (JSON_CELLS.contains(name) && (s.startsWith("[") || s.startsWith("{"))) {
            try {
                return JsonRecordParser.MAPPER.readTree(s);
            } catch (JsonProcessingException e) {
                // not JSON after all: keep the text; the mapper reports the type if it matters
            }
        }
        return JsonNodeFactory.instance.textNode(cell);
    }
}
