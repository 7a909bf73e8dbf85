package io.tuneforge.dataprep.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.clean.CleaningRule;
import io.tuneforge.dataprep.clean.TextCleaner;
import io.tuneforge.dataprep.dedup.DedupKeys;
import io.tuneforge.dataprep.dedup.MinHasher;
import io.tuneforge.dataprep.format.FormatDetection;
import io.tuneforge.dataprep.format.RecordMapper;
import io.tuneforge.dataprep.format.Spelling;
import io.tuneforge.dataprep.manifest.LanguageMix;
import io.tuneforge.dataprep.read.InputContainer;
import io.tuneforge.dataprep.read.RawRecord;
import io.tuneforge.dataprep.read.RecordParser;
import io.tuneforge.dataprep.read.Utf8;
import io.tuneforge.dataprep.record.CanonicalJson;
import io.tuneforge.dataprep.record.Example;
import io.tuneforge.dataprep.record.RecordConverter;
import io.tuneforge.dataprep.split.SplitPlanner;
import io.tuneforge.dataprep.validate.ContentValidator;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.dataprep.validate.ReasonCode;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-record work, independent of every other record (so it runs on worker threads and its result does not
 * depend on how many): size and blank checks, UTF-8, parsing, format match, mapping and structural validation,
 * control characters, cleaning, checks after cleaning, conversion, token limit, then the keys for dedup and the split.
 * Thread-safe.
 */
public final class RecordProcessor {

    private final PipelineSettings settings;
    private final InputContainer container;
    private final RecordParser parser;
    private final FormatDetection detection;
    private final TextCleaner cleaner;
    private final MinHasher hasher;

    public RecordProcessor(PipelineSettings settings, InputContainer container, RecordParser parser,
            FormatDetection detection) {
        this.settings = settings;
        this.container = container;
        this.parser = parser;
        this.detection = detection;
        this.cleaner = new TextCleaner(settings.stripHtml(), settings.redactPii());
        this.hasher = settings.nearDedup()
                ? new MinHasher(settings.numPermutations(), settings.shingleSize(), 0x7475_6e65_666f_7267L)
                : null;
    }

    /** Outcome of reading one record as far as parsing: the JSON object, or why it is not one. */
    public record Parsed(JsonNode object, List<Reason> reasons, JsonNode original) {
    }

    /** Size, blank, UTF-8 and parse checks only (used for format detection, then again by {@link #process}). */
    public Parsed parse(RawRecord raw) {
        List<Reason> reasons = new ArrayList<>(2);
        if (raw.truncated()) {
            reasons.add(Reason.whole(ReasonCode.RECORD_TOO_LARGE, "the record is " + raw.size() + " bytes, more than "
                    + "the maximum record size of " + settings.maxRecordBytes() + " bytes; it was skipped without being "
                    + "read into memory ('record' holds its first " + raw.bytes().length + " bytes)"));
            return new Parsed(null, reasons, TextNode.valueOf(Utf8.lossy(raw.bytes()) + "…"));
        }
        if (raw.blank()) {
            reasons.add(container == InputContainer.JSON_ARRAY
                    ? Reason.whole(ReasonCode.INVALID_JSON, "empty array element (two commas in a row, or a comma "
                            + "before ']')")
                    : Reason.whole(ReasonCode.EMPTY_LINE, "blank line"));
            return new Parsed(null, reasons, TextNode.valueOf(Utf8.lossy(raw.bytes())));
        }
        Utf8.Decoded decoded = Utf8.decode(raw.bytes());
        if (!decoded.ok()) {
            reasons.add(Reason.whole(ReasonCode.INVALID_UTF8, "not valid UTF-8: bytes " + decoded.errorBytes()
                    + " at byte " + decoded.errorOffset() + " of the record; the file may be Latin-1 or Windows-1252 "
                    + "text — convert it to UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)"));
            return new Parsed(null, reasons, TextNode.valueOf(Utf8.lossy(raw.bytes())));
        }
        JsonNode[] parsedOut = new JsonNode[1];
        JsonNode object = parser.parse(decoded.text(), reasons, parsedOut);
        JsonNode original = parsedOut[0] != null ? parsedOut[0] : TextNode.valueOf(decoded.text());
        return new Parsed(object, reasons, original);
    }

    public ProcessedRecord process(RawRecord raw) {
        long line = raw.line();
        Parsed parsed = parse(raw);
        if (parsed.object() == null) {
            return new ProcessedRecord.Rejected(line, parsed.reasons(), parsed.original(), null, null);
        }
        JsonNode object = parsed.object();
        JsonNode original = parsed.original();
        List<Reason> reasons = new ArrayList<>(2);
        DatasetFormat format = detection.format();

        Spelling spelling = Spelling.classify(object);
        if (spelling != null && spelling.format() != format) {
            reasons.add(Reason.whole(ReasonCode.FORMAT_MISMATCH, "a " + spelling.format().wireName() + " record ("
                    + spelling.wireName() + " spelling) in a dataset of format " + detection.describe()));
            return new ProcessedRecord.Rejected(line, reasons, original, spelling, null);
        }
        if (spelling == null) {
            spelling = Spelling.canonical(format);
        }
        RecordMapper.Mapped mapped = RecordMapper.map(object, spelling, reasons);
        if (mapped == null) {
            return new ProcessedRecord.Rejected(line, reasons, original, spelling, null);
        }
        ContentValidator.checkControlCharacters(mapped, reasons);
        if (!reasons.isEmpty()) {
            return new ProcessedRecord.Rejected(line, reasons, original, spelling, null);
        }

        int[] cleaning = new int[CleaningRule.values().length];
        Example cleaned = mapped.example().mapTexts((path, text) -> cleaner.clean(text, cleaning));
        ContentValidator.checkAfterCleaning(cleaned, mapped, reasons);
        if (!reasons.isEmpty()) {
            return new ProcessedRecord.Rejected(line, reasons, original, spelling, cleaning);
        }
        Example output = cleaned;
        if (settings.convertTo() != null) {
            output = RecordConverter.convert(cleaned, settings.convertTo(), reasons);
            if (output == null) {
                return new ProcessedRecord.Rejected(line, reasons, original, spelling, cleaning);
            }
        }
        int tokens = ContentValidator.tokens(output, settings.tokenCounter());
        if (settings.maxTokens() != null && tokens > settings.maxTokens()) {
            reasons.add(Reason.whole(ReasonCode.TOO_MANY_TOKENS, tokens + " tokens, more than the limit of "
                    + settings.maxTokens() + " (counted with " + settings.tokenCounter().description() + ")"));
            return new ProcessedRecord.Rejected(line, reasons, original, spelling, cleaning);
        }
        byte[] canonical = CanonicalJson.write(output);
        byte[] digest = DedupKeys.exactDigest(output);
        int[] signature = hasher == null ? null : hasher.signature(DedupKeys.shingleText(output));
        long rank = SplitPlanner.rank(settings.seed(), digest);
        return new ProcessedRecord.Candidate(line, original, spelling, canonical, digest, signature, rank,
                output.source(), tokens, LanguageMix.count(output), cleaning);
    }

    /** The MinHash settings in use, or null when near-dedup is off. */
    public MinHasher hasher() {
        return hasher;
    }
}
