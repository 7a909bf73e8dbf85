package io.tuneforge.dataprep.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tuneforge.contracts.Json;
import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.contracts.storage.ObjectKeys;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineException.Code;
import io.tuneforge.dataprep.PipelineResult;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.Progress;
import io.tuneforge.dataprep.ProgressListener;
import io.tuneforge.dataprep.dedup.ExactDedupIndex;
import io.tuneforge.dataprep.dedup.LshParameters;
import io.tuneforge.dataprep.dedup.NearDuplicateIndex;
import io.tuneforge.dataprep.format.FormatDetection;
import io.tuneforge.dataprep.format.FormatDetector;
import io.tuneforge.dataprep.read.InputContainer;
import io.tuneforge.dataprep.read.InputOpener;
import io.tuneforge.dataprep.read.OpenedInput;
import io.tuneforge.dataprep.read.RawRecord;
import io.tuneforge.dataprep.record.RecordConverter;
import io.tuneforge.dataprep.sink.DatasetSink;
import io.tuneforge.dataprep.sink.DigestingOutputStream;
import io.tuneforge.dataprep.sink.WrittenFile;
import io.tuneforge.dataprep.split.SplitPlanner;
import io.tuneforge.dataprep.validate.Reason;
import io.tuneforge.dataprep.validate.ReasonCode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * One run of the pipeline (see {@link io.tuneforge.dataprep.DatasetPipeline} for the whole picture).
 * <ol>
 *   <li>open: gzip, layout; read the first records and decide the format;</li>
 *   <li>pass 1: per-record work on worker threads ({@link RecordProcessor}), then in input order: exact dedup,
 *       near dedup, rejected records to rejected.jsonl, kept records to a spill file and the split planner;</li>
 *   <li>plan the split; pass 2: the spill file to train.jsonl / eval.jsonl;</li>
 *   <li>manifest.json last, then commit — or abort on any failure.</li>
 * </ol>
 */
public final class PipelineRun {

    private static final int BATCH_RECORDS = 256;
    private static final long BATCH_BYTES = 4L << 20;

    private final PipelineSettings settings;
    private final DatasetInput input;
    private final DatasetSink sink;
    private final ProgressListener listener;
    private final RunStatistics stats = new RunStatistics();
    private final ExactDedupIndex exact = new ExactDedupIndex();
    private final SplitPlanner planner = new SplitPlanner();
    private long exactDuplicates;
    private long nearDuplicates;
    private long lastProgress;
    private OpenedInput opened;
    private NearDuplicateIndex near;
    private SpillFile spill;
    private RejectedWriter rejectedWriter;

    private PipelineRun(PipelineSettings settings, DatasetInput input, DatasetSink sink, ProgressListener listener) {
        this.settings = settings;
        this.input = input;
        this.sink = sink;
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /** Runs the pipeline; on failure the sink is aborted and nothing is published. */
    public static PipelineResult execute(PipelineSettings settings, DatasetInput input, DatasetSink sink,
            ProgressListener listener) throws PipelineException {
        PipelineRun run = new PipelineRun(settings, input, sink, listener);
        try {
            return run.run();
        } catch (PipelineException | RuntimeException | Error e) {
            sink.abort();
            throw e;
        } finally {
            run.cleanUp();
        }
    }

    private PipelineResult run() throws PipelineException {
        try {
            Files.createDirectories(settings.tempDir());
            spill = new SpillFile(settings.tempDir());
        } catch (IOException e) {
            throw new PipelineException(Code.IO_ERROR, "cannot create temporary files in " + settings.tempDir() + ": "
                    + e.getMessage(), e);
        }
        InputStream in = input.stream();
        try {
            opened = InputOpener.open(in, settings.inputType(), settings.columnMapping(), settings.maxRecordBytes());
        } catch (IOException e) {
            throw readFailure(e);
        }

        // 1) the first records decide the format
        List<RawRecord> sample = new ArrayList<>();
        FormatDetector detector = new FormatDetector();
        RecordProcessor reader = new RecordProcessor(settings, opened.container(), opened.parser(), null);
        boolean sawTooLarge = false;
        while (detector.sampled() < settings.detectionSample()) {
            RawRecord raw = next();
            if (raw == null) {
                break;
            }
            sample.add(raw);
            sawTooLarge |= raw.truncated();
            if (raw.truncated() || raw.blank()) {
                continue;
            }
            RecordProcessor.Parsed parsed = reader.parse(raw);
            if (parsed.object() != null) {
                detector.add(parsed.object());
            } else {
                detector.addNotAnObject(raw.line(), parsed.reasons().get(0).message());
            }
        }
        if (sample.isEmpty() || (detector.sampled() == 0 && !sawTooLarge)) {
            throw new PipelineException(Code.EMPTY_INPUT, emptyMessage(sample.size()));
        }
        if (detector.sampled() == 0 && settings.format() == null) {
            throw new PipelineException(Code.UNKNOWN_FORMAT, "cannot detect the format: every one of the first "
                    + sample.size() + " records is larger than " + settings.maxRecordBytes() + " bytes");
        }
        FormatDetection detection = detector.decide(settings.format());
        DatasetFormat outputFormat = settings.convertTo() != null ? settings.convertTo() : detection.format();
        if (!RecordConverter.supports(detection.format(), outputFormat)) {
            throw new PipelineException(Code.INVALID_SETTINGS, "cannot convert " + detection.format().wireName()
                    + " records to " + outputFormat.wireName() + " (the dataset is " + detection.describe()
                    + "); only instruction <-> conversation is supported");
        }

        // 2) pass 1
        RecordProcessor processor = new RecordProcessor(settings, opened.container(), opened.parser(), detection);
        LshParameters lsh = null;
        if (settings.nearDedup()) {
            lsh = LshParameters.forThreshold(settings.nearDupThreshold(), settings.numPermutations());
            try {
                near = new NearDuplicateIndex(settings.nearDupThreshold(), settings.numPermutations(), lsh,
                        settings.tempDir());
            } catch (UncheckedIOException e) {
                throw new PipelineException(Code.IO_ERROR, e.getMessage(), e);
            }
        }
        DigestingOutputStream rejected = create(ObjectKeys.REJECTED_FILE);
        rejectedWriter = new RejectedWriter(rejected);
        try (OrderedParallelMap<RawRecord, ProcessedRecord> map =
                     new OrderedParallelMap<>(settings.threads(), processor::process, this::consume)) {
            List<RawRecord> batch = new ArrayList<>(BATCH_RECORDS);
            long batchBytes = 0;
            int buffered = 0;
            while (true) {
                RawRecord raw = buffered < sample.size() ? sample.get(buffered++) : next();
                if (raw == null) {
                    break;
                }
                batch.add(raw);
                batchBytes += raw.bytes().length;
                if (batch.size() >= BATCH_RECORDS || batchBytes >= BATCH_BYTES) {
                    map.submit(batch);
                    batch = new ArrayList<>(BATCH_RECORDS);
                    batchBytes = 0;
                }
            }
            sample.clear();
            map.submit(batch);
            map.finish();
        } catch (IOException e) {
            throw writeFailure(ObjectKeys.REJECTED_FILE, e);
        } catch (UncheckedIOException e) {
            throw new PipelineException(Code.IO_ERROR, e.getMessage(), e);
        }
        close(rejected);
        progress(Progress.Phase.READING, true);

        // 3) split and pass 2
        BitSet evalSet;
        try {
            evalSet = planner.plan(settings.evalCount(), settings.evalRatio(), settings.stratifyBySource());
        } catch (IllegalArgumentException e) {
            throw new PipelineException(Code.INVALID_SETTINGS, e.getMessage());
        }
        DigestingOutputStream train = create(ObjectKeys.TRAIN_FILE);
        DigestingOutputStream eval = create(ObjectKeys.EVAL_FILE);
        long trainCount = 0;
        long evalCount = 0;
        long[][] bySource = new long[planner.strata().size()][2];   // per source label: {train, eval}
        try {
            spill.startReading();
            int index = 0;
            for (byte[] record = spill.next(); record != null; record = spill.next(), index++) {
                boolean toEval = evalSet.get(index);
                if (toEval) {
                    eval.writeLine(record);
                    evalCount++;
                } else {
                    train.writeLine(record);
                    trainCount++;
                }
                bySource[planner.stratum(index)][toEval ? 1 : 0]++;
                if ((index & 0xfff) == 0) {
                    progressPass2(trainCount + evalCount);
                }
            }
        } catch (IOException e) {
            throw writeFailure(ObjectKeys.TRAIN_FILE + "/" + ObjectKeys.EVAL_FILE, e);
        }
        close(train);
        close(eval);

        // 4) manifest last, then publish
        Map<String, WrittenFile> files = new LinkedHashMap<>();
        files.put(ObjectKeys.TRAIN_FILE, train.result());
        files.put(ObjectKeys.EVAL_FILE, eval.result());
        files.put(ObjectKeys.REJECTED_FILE, rejected.result());
        checkAccounting(trainCount, evalCount);
        ObjectNode manifest = new ManifestBuilder(settings, input.name(), opened, stats).build(detection, outputFormat,
                lsh, exactDuplicates, nearDuplicates, planner.strata(), trainCount, evalCount, bySource, files);
        DigestingOutputStream manifestOut = create(ObjectKeys.MANIFEST_FILE);
        try {
            manifestOut.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            manifestOut.write('\n');
        } catch (IOException e) {
            throw writeFailure(ObjectKeys.MANIFEST_FILE, e);
        }
        close(manifestOut);
        files.put(ObjectKeys.MANIFEST_FILE, manifestOut.result());
        try {
            sink.commit();
        } catch (IOException e) {
            throw new PipelineException(Code.IO_ERROR, "cannot publish the dataset to " + sink.describe() + ": "
                    + e.getMessage(), e);
        }
        listener.onProgress(new Progress(Progress.Phase.DONE, opened.raw().count(), input.sizeBytes(),
                stats.inputRecords(), trainCount + evalCount, stats.rejectedRecords()));
        return new PipelineResult(detection, outputFormat, stats, trainCount, evalCount, Map.copyOf(files), manifest);
    }

    /** The in-order step of pass 1: dedup, then rejected.jsonl or the spill file. */
    private void consume(ProcessedRecord record) throws IOException {
        stats.input();
        if (record instanceof ProcessedRecord.Rejected r) {
            stats.spelling(r.spelling());
            stats.cleaning(r.cleaning());
            reject(r.line(), r.reasons(), r, null);
        } else {
            ProcessedRecord.Candidate c = (ProcessedRecord.Candidate) record;
            stats.spelling(c.spelling());
            stats.cleaning(c.cleaning());
            long kept = settings.exactDedup() ? exact.get(c.digest()) : -1;
            if (kept >= 0) {
                exactDuplicates++;
                reject(c.line(), List.of(Reason.whole(ReasonCode.EXACT_DUPLICATE, "the same record as line " + kept
                        + " once case and whitespace are ignored")), c, kept);
            } else {
                NearDuplicateIndex.Match match = near != null && c.signature() != null
                        ? near.checkAndAdd(c.signature(), c.line()) : null;
                if (match != null) {
                    nearDuplicates++;
                    reject(c.line(), List.of(Reason.whole(ReasonCode.NEAR_DUPLICATE, String.format(
                            "a near duplicate of line %d: estimated Jaccard similarity %.3f over %d-character "
                                    + "shingles (threshold %s)", match.keptLine(), match.similarity(),
                            settings.shingleSize(), settings.nearDupThreshold()))), c, match.keptLine());
                } else {
                    if (settings.exactDedup()) {
                        exact.putIfAbsent(c.digest(), c.line());
                    }
                    spill.append(c.canonical());
                    planner.add(c.rank(), c.source());
                    stats.kept(c.tokens(), c.letters());
                }
            }
        }
        if ((stats.inputRecords() & 0x3ff) == 0) {
            progress(Progress.Phase.READING, false);
        }
    }

    private void reject(long line, List<Reason> reasons, ProcessedRecord record, Long keptLine) throws IOException {
        stats.rejected(reasons);
        rejectedWriter.write(line, reasons, record.original(), keptLine);
    }

    private RawRecord next() throws PipelineException {
        try {
            return opened.records().next();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private PipelineException readFailure(IOException e) {
        long at = opened == null ? -1 : opened.raw().count();
        if ((opened == null || opened.gzip()) && (e instanceof EOFException || e instanceof ZipException)) {
            return new PipelineException(Code.CORRUPT_INPUT, "the gzip input " + input.name() + " is truncated or "
                    + "damaged (" + e.getMessage() + (at >= 0 ? " after " + at + " compressed bytes" : "")
                    + "); nothing was published", e);
        }
        return new PipelineException(Code.IO_ERROR, "cannot read " + input.name() + ": " + e.getMessage(), e);
    }

    private PipelineException writeFailure(String file, IOException e) {
        return new PipelineException(Code.IO_ERROR, "cannot write " + file + " to " + sink.describe() + ": "
                + e.getMessage(), e);
    }

    private DigestingOutputStream create(String file) throws PipelineException {
        try {
            return new DigestingOutputStream(file, sink.create(file));
        } catch (IOException e) {
            throw writeFailure(file, e);
        }
    }

    private void close(DigestingOutputStream out) throws PipelineException {
        try {
            out.close();
        } catch (IOException e) {
            throw writeFailure("a file", e);
        }
    }

    private String emptyMessage(int records) {
        InputContainer c = opened.container();
        if (records == 0) {
            return switch (c) {
                case JSON_ARRAY -> "the input " + input.name() + " is an empty JSON array: no records";
                case CSV -> "the input " + input.name() + " has a CSV header but no rows";
                default -> "the input " + input.name() + " holds no records";
            };
        }
        return "the input " + input.name() + " holds no records: its " + records + " lines are all blank";
    }

    /** lines(train) + lines(eval) + lines(rejected) = records(input): a broken equation is a bug, never published. */
    private void checkAccounting(long train, long eval) {
        long rejected = stats.rejectedRecords();
        if (train + eval + rejected != stats.inputRecords()) {
            throw new IllegalStateException("accounting error: train " + train + " + eval " + eval + " + rejected "
                    + rejected + " != input " + stats.inputRecords());
        }
    }

    private void progress(Progress.Phase phase, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastProgress < settings.progressInterval().toNanos()) {
            return;
        }
        lastProgress = now;
        listener.onProgress(new Progress(phase, opened.raw().count(), input.sizeBytes(), stats.inputRecords(),
                stats.keptRecords(), stats.rejectedRecords()));
    }

    private void progressPass2(long written) {
        long now = System.nanoTime();
        if (now - lastProgress < settings.progressInterval().toNanos()) {
            return;
        }
        lastProgress = now;
        listener.onProgress(new Progress(Progress.Phase.SPLITTING, opened.raw().count(), input.sizeBytes(),
                stats.inputRecords(), written, stats.rejectedRecords()));
    }

    private void cleanUp() {
        try {
            input.stream().close();
        } catch (IOException e) {
            // the input was read to its end or the run failed; nothing to keep
        }
        if (near != null) {
            near.close();
        }
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                // a leftover temporary file in tempDir; does not affect the result
            }
        }
    }
}
