package io.tuneforge.cli.data;

import io.tuneforge.contracts.dataset.DatasetFormat;
import io.tuneforge.dataprep.DatasetInput;
import io.tuneforge.dataprep.DatasetPipeline;
import io.tuneforge.dataprep.PipelineResult;
import io.tuneforge.dataprep.PipelineSettings;
import io.tuneforge.dataprep.ProgressListener;
import io.tuneforge.dataprep.read.InputContainer;
import io.tuneforge.dataprep.sink.LocalDirectorySink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge data prepare}: the data-service pipeline, offline. Reads JSONL, a JSON array or CSV (gzip or
 * not), writes train.jsonl, eval.jsonl, rejected.jsonl and manifest.json to DIR — all four or none — and prints a
 * summary table; a progress line goes to stderr for inputs over 16 MB or of unknown size.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Validate, clean, deduplicate and split a dataset into DIR: train.jsonl, eval.jsonl, "
                + "rejected.jsonl (every dropped line with its reason) and manifest.json (written last).",
                "Exit codes: 0 done; 1 error, nothing written; 2 written, but no record passed."},
        sortOptions = false)
public final class PrepareCommand implements Callable<Integer> {

    private static final long PROGRESS_ABOVE_BYTES = 16L * 1000 * 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "JSONL, JSON array or CSV with a header row; gzip is detected. '-' reads stdin.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write (created).")
    Path output;

    @Option(names = "--eval-ratio", paramLabel = "R", description = "Share of records in eval, 0 <= R < 1. Default: 0.1.")
    Double evalRatio;

    @Option(names = "--eval-count", paramLabel = "N", description = "Exactly N records in eval (instead of a ratio).")
    Integer evalCount;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the split. Default: 42.")
    long seed = 42;

    @Option(names = "--format", paramLabel = "F",
            description = "auto, instruction, conversation or preference. Default: auto (majority of the first records).")
    String format = "auto";

    @Option(names = "--input-type", paramLabel = "T", description = "auto, jsonl, json or csv. Default: auto.")
    String inputType = "auto";

    @Option(names = "--column", paramLabel = "NAME=FIELD",
            description = "Map a CSV column onto a field, e.g. --column question=instruction (repeatable).")
    Map<String, String> columns = new LinkedHashMap<>();

    @Option(names = "--to", paramLabel = "F", description = "Convert to conversation or instruction.")
    String to;

    @Option(names = "--near-dup-threshold", paramLabel = "T",
            description = "MinHash Jaccard similarity that makes a near duplicate, 0 < T < 1. Default: 0.85.")
    double nearDupThreshold = 0.85;

    @Option(names = "--no-near-dedup", description = "Keep near duplicates.")
    boolean noNearDedup;

    @Option(names = "--no-exact-dedup", description = "Keep exact duplicates.")
    boolean noExactDedup;

    @Option(names = "--strip-html", description = "Strip HTML tags and decode entities (outside code blocks).")
    boolean stripHtml;

    @Option(names = "--redact-pii", description = "Redact e-mails, phone numbers, card numbers and Chinese ID numbers.")
    boolean redactPii;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Reject records longer than N tokens.")
    Integer maxTokens;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "Count tokens with this model's tokenizer.json (a model directory or the file). "
                    + "Default: an estimate (1 per CJK character, 1 per 4 other characters).")
    Path tokenizer;

    @Option(names = "--stratify-by-source", description = "Share eval records among the records' 'source' labels.")
    boolean stratify;

    @Option(names = "--max-record-bytes", paramLabel = "N",
            description = "Reject larger records without reading them. Default: 10485760 (10 MiB).")
    long maxRecordBytes = PipelineSettings.DEFAULT_MAX_RECORD_BYTES;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; the result does not depend on it. "
            + "Default: up to 4.")
    Integer threads;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (evalRatio != null && evalCount != null) {
            throw new ParameterException(spec.commandLine(), "give --eval-ratio or --eval-count, not both");
        }
        PipelineSettings.Builder b = PipelineSettings.builder()
                .format("auto".equalsIgnoreCase(format) ? null : DatasetFormat.fromWire(format))
                .inputType(InputContainer.fromWire(inputType))
                .columnMapping(columns)
                .convertTo(to == null ? null : DatasetFormat.fromWire(to))
                .seed(seed)
                .evalCount(evalCount)
                .nearDupThreshold(nearDupThreshold)
                .nearDedup(!noNearDedup)
                .exactDedup(!noExactDedup)
                .stripHtml(stripHtml)
                .redactPii(redactPii)
                .maxTokens(maxTokens)
                .stratifyBySource(stratify)
                .maxRecordBytes(maxRecordBytes);
        if (evalRatio != null) {
            b.evalRatio(evalRatio);
        }
        if (threads != null) {
            b.threads(threads);
        }
        TokenizerTokenCounter counter = tokenizer == null ? null : TokenizerTokenCounter.load(tokenizer);
        try {
            if (counter != null) {
                b.tokenCounter(counter);
            }
            PipelineSettings settings = b.build();
            DatasetInput in = "-".equals(input) ? new DatasetInput("stdin", System.in, -1)
                    : DatasetInput.of(Path.of(input));
            ProgressLine progress = new ProgressLine(System.err);
            boolean showProgress = !quiet && (in.sizeBytes() < 0 || in.sizeBytes() > PROGRESS_ABOVE_BYTES);
            PipelineResult result;
            try {
                result = new DatasetPipeline(settings).run(in, new LocalDirectorySink(output),
                        showProgress ? progress : ProgressListener.NONE);
            } finally {
                progress.finish();
            }
            SummaryTable.print(System.out, in.name(), output.toString(), result);
            if (result.train() + result.eval() == 0) {
                System.err.println("tuneforge data prepare: no record passed; see " + output.resolve("rejected.jsonl"));
                return 2;
            }
            return 0;
        } finally {
            if (counter != null) {
                counter.close();
            }
        }
    }
}
