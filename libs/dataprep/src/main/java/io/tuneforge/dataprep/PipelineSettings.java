package io.tuneforge.dataprep;

import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.dataset.DatasetVersionRef;
import io.tuneforge.dataprep.read.InputContainer;
import io.tuneforge.dataprep.validate.EstimatedTokenCounter;
import io.tuneforge.dataprep.validate.TokenCounter;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a pipeline run can be told. Build with {@link #builder()} (defaults below) or, for a service,
 * {@link PipelineSettingsMap#fromMap}. Checked on {@link Builder#build()}: a bad value throws
 * {@link IllegalArgumentException} naming the setting, the value and the allowed range.
 *
 * @param format            dataset format; null = detect by majority of the first {@code detectionSample} records
 * @param inputType         input layout; {@link InputContainer#AUTO} sniffs it
 * @param columnMapping     CSV header name → field name, e.g. {@code question → instruction}
 * @param detectionSample   records looked at to detect the format (1000)
 * @param maxRecordBytes    larger records are rejected as record_too_large without being read into memory (10 MiB)
 * @param stripHtml         strip HTML tags and decode entities (false)
 * @param redactPii         redact e-mails, phone numbers, card numbers, Chinese ID numbers (false)
 * @param maxTokens         records with more tokens are rejected as too_many_tokens; null = no limit
 * @param tokenCounter      counts tokens; {@link EstimatedTokenCounter} unless the target model's tokenizer is given
 * @param exactDedup        drop exact duplicates (true)
 * @param nearDedup         drop near duplicates (true)
 * @param nearDupThreshold  MinHash Jaccard similarity at or above which a record is a near duplicate (0.85)
 * @param shingleSize       characters per shingle (5)
 * @param numPermutations   MinHash signature length (128)
 * @param evalRatio         share of kept records in eval, in [0, 1) (0.1); ignored when evalCount is set
 * @param evalCount         exact number of eval records; null = use evalRatio
 * @param seed              seed of the split (42)
 * @param stratifyBySource  share eval records among the records' {@code source} labels (false)
 * @param convertTo         output format (instruction ↔ conversation); null = keep the input's format
 * @param threads           worker threads for per-record work (min(4, cores)); results do not depend on it
 * @param tempDir           where spill and signature files go (java.io.tmpdir)
 * @param parent            the version this one derives from, for the manifest; null for none
 * @param clock             for the manifest's creation time
 * @param progressInterval  least time between two progress callbacks (1 s)
 */
public record PipelineSettings(DatasetFormat format, InputContainer inputType, Map<String, String> columnMapping,
                               int detectionSample, long maxRecordBytes, boolean stripHtml, boolean redactPii,
                               Integer maxTokens, TokenCounter tokenCounter, boolean exactDedup, boolean nearDedup,
                               double nearDupThreshold, int shingleSize, int numPermutations, double evalRatio,
                               Integer evalCount, long seed, boolean stratifyBySource, DatasetFormat convertTo,
                               int threads, Path tempDir, DatasetVersionRef parent, Clock clock,
                               Duration progressInterval) {

    public static final long DEFAULT_MAX_RECORD_BYTES = 10L * 1024 * 1024;

    public PipelineSettings {
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(tokenCounter, "tokenCounter");
        Objects.requireNonNull(tempDir, "tempDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(progressInterval, "progressInterval");
        columnMapping = Map.copyOf(columnMapping);
        List<String> errors = new ArrayList<>();
        check(errors, detectionSample >= 1, "detectionSample", detectionSample, "at least 1");
        check(errors, maxRecordBytes >= 1024 && maxRecordBytes <= (1L << 30), "maxRecordBytes", maxRecordBytes,
                "between 1024 and 1073741824 (1 GiB)");
        check(errors, maxTokens == null || maxTokens >= 1, "maxTokens", maxTokens, "at least 1, or none");
        check(errors, nearDupThreshold > 0 && nearDupThreshold < 1, "nearDupThreshold", nearDupThreshold,
                "between 0 and 1 (exclusive), e.g. 0.85");
        check(errors, shingleSize >= 1 && shingleSize <= 64, "shingleSize", shingleSize, "between 1 and 64");
        check(errors, numPermutations >= 16 && numPermutations <= 1024, "numPermutations", numPermutations,
                "between 16 and 1024");
        check(errors, evalRatio >= 0 && evalRatio < 1, "evalRatio", evalRatio, "at least 0 and below 1, e.g. 0.1");
        check(errors, evalCount == null || evalCount >= 0, "evalCount", evalCount, "0 or more");
        check(errors, threads >= 1 && threads <= 256, "threads", threads, "between 1 and 256");
        check(errors, convertTo != DatasetFormat.PREFERENCE, "convertTo", "preference",
                "instruction or conversation (preference records are not converted)");
        check(errors, convertTo == null || format != DatasetFormat.PREFERENCE, "convertTo",
                convertTo == null ? null : convertTo.wireName(), "none for a preference dataset");
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid pipeline settings: " + String.join("; ", errors));
        }
    }

    private static void check(List<String> errors, boolean ok, String name, Object value, String expected) {
        if (!ok) {
            errors.add(name + " must be " + expected + ", got " + value);
        }
    }

    public static PipelineSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format;
        b.inputType = inputType;
        b.columnMapping = new LinkedHashMap<>(columnMapping);
        b.detectionSample = detectionSample;
        b.maxRecordBytes = maxRecordBytes;
        b.stripHtml = stripHtml;
        b.redactPii = redactPii;
        b.maxTokens = maxTokens;
        b.tokenCounter = tokenCounter;
        b.exactDedup = exactDedup;
        b.nearDedup = nearDedup;
        b.nearDupThreshold = nearDupThreshold;
        b.shingleSize = shingleSize;
        b.numPermutations = numPermutations;
        b.evalRatio = evalRatio;
        b.evalCount = evalCount;
        b.seed = seed;
        b.stratifyBySource = stratifyBySource;
        b.convertTo = convertTo;
        b.threads = threads;
        b.tempDir = tempDir;
        b.parent = parent;
        b.clock = clock;
        b.progressInterval = progressInterval;
        return b;
    }

    /** The settings that shape the output, as the manifest records them (no threads, paths or clocks). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", format == null ? "auto" : format.wireName());
        m.put("inputType", inputType.wireName());
        if (!columnMapping.isEmpty()) {
            m.put("columnMapping", new java.util.TreeMap<>(columnMapping));
        }
        m.put("detectionSample", detectionSample);
        m.put("maxRecordBytes", maxRecordBytes);
        m.put("stripHtml", stripHtml);
        m.put("redactPii", redactPii);
        if (maxTokens != null) {
            m.put("maxTokens", maxTokens);
        }
        m.put("tokenCounter", tokenCounter.description());
        m.put("exactDedup", exactDedup);
        m.put("nearDedup", nearDedup);
        m.put("nearDupThreshold", nearDupThreshold);
        m.put("shingleSize", shingleSize);
        m.put("numPermutations", numPermutations);
        if (evalCount != null) {
            m.put("evalCount", evalCount);
        } else {
            m.put("evalRatio", evalRatio);
        }
        m.put("seed", seed);
        m.put("stratifyBySource", stratifyBySource);
        if (convertTo != null) {
            m.put("convertTo", convertTo.wireName());
        }
        return m;
    }

    /** Mutable builder; {@link #build()} checks every value. */
    public static final class Builder {
        private DatasetFormat format;
        private InputContainer inputType = InputContainer.AUTO;
        private Map<String, String> columnMapping = new LinkedHashMap<>();
        private int detectionSample = 1000;
        private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private boolean stripHtml;
        private boolean redactPii;
        private Integer maxTokens;
        private TokenCounter tokenCounter = EstimatedTokenCounter.INSTANCE;
        private boolean exactDedup = true;
        private boolean nearDedup = true;
        private double nearDupThreshold = 0.85;
        private int shingleSize = 5;
        private int numPermutations = 128;
        private double evalRatio = 0.1;
        private Integer evalCount;
        private long seed = 42;
        private boolean stratifyBySource;
        private DatasetFormat convertTo;
        private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
        private DatasetVersionRef parent;
        private Clock clock = Clock.systemUTC();
        private Duration progressInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        public Builder format(DatasetFormat v) { format = v; return this; }
        public Builder inputType(InputContainer v) { inputType = v; return this; }
        public Builder columnMapping(Map<String, String> v) { columnMapping = new LinkedHashMap<>(v); return this; }
        public Builder detectionSample(int v) { detectionSample = v; return this; }
        public Builder maxRecordBytes(long v) { maxRecordBytes = v; return this; }
        public Builder stripHtml(boolean v) { stripHtml = v; return this; }
        public Builder redactPii(boolean v) { redactPii = v; return this; }
        public Builder maxTokens(Integer v) { maxTokens = v; return this; }
        public Builder tokenCounter(TokenCounter v) { tokenCounter = v; return this; }
        public Builder exactDedup(boolean v) { exactDedup = v; return this; }
        public Builder nearDedup(boolean v) { nearDedup = v; return this; }
        public Builder nearDupThreshold(double v) { nearDupThreshold = v; return this; }
        public Builder shingleSize(int v) { shingleSize = v; return this; }
        public Builder numPermutations(int v) { numPermutations = v; return this; }
        public Builder evalRatio(double v) { evalRatio = v; return this; }
        public Builder evalCount(Integer v) { evalCount = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder stratifyBySource(boolean v) { stratifyBySource = v; return this; }
        public Builder convertTo(DatasetFormat v) { convertTo = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder tempDir(Path v) { tempDir = v; return this; }
        public Builder parent(DatasetVersionRef v) { parent = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder progressInterval(Duration v) { progressInterval = v; return this; }

        public PipelineSettings build() {
            return new PipelineSettings(format, inputType, columnMapping, detectionSample, maxRecordBytes, stripHtml,
                    redactPii, maxTokens, tokenCounter, exactDedup, nearDedup, nearDupThreshold, shingleSize,
                    numPermutations, evalRatio, evalCount, seed, stratifyBySource, convertTo, threads, tempDir, parent,
                    clock, progressInterval);
        }
    }
}
