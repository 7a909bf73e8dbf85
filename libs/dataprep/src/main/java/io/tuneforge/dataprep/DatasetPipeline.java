package io.tuneforge.dataprep;

import io.tuneforge.dataprep.pipeline.PipelineRun;
import io.tuneforge.dataprep.sink.DatasetSink;

import java.util.Objects;

/**
 * The dataset pipeline: reads JSONL, a JSON array or CSV (gzip or not) from a stream, detects the format, validates,
 * cleans, deduplicates, converts and splits the records, and publishes train.jsonl, eval.jsonl, rejected.jsonl and
 * manifest.json (last) through a {@link DatasetSink} — all of them, or on failure none. Every input record ends in
 * exactly one of train, eval or rejected: {@code lines(train) + lines(eval) + lines(rejected) = records(input)},
 * blank lines included (rejected as {@code empty_line}).
 *
 * <pre>
 *   InputStream ─ gzip? ─ layout ─ records ─┬─ first N: detect format (majority)
 *                                           ▼
 *   pass 1  [worker threads] UTF-8 · parse · format · map + validate · clean · convert · tokens · keys
 *           [input order]    exact dedup · near dedup (MinHash LSH) · rejected.jsonl │ spill file + split ranks
 *   plan    eval = lowest ranks (seeded), optionally per source
 *   pass 2  spill file → train.jsonl / eval.jsonl
 *   manifest.json → sink.commit()
 * </pre>
 *
 * <h2>Memory model</h2>
 * Records stream through; the heap holds, per kept record: exact-dedup key and line ≈ 40–50 B, near-dedup LSH
 * buckets ≈ 190–230 B (11 bands at the default threshold; 8 B line + per band a 4 B entry link and an 8 B bucket slot
 * at most 75% full, arrays grown by half), split rank and source id 12 B — about <b>260 bytes per kept record</b>
 * (250 MB for a million records), plus per rejected exact duplicate nothing. The
 * MinHash signatures (4 B × 128 = 512 B per kept record) and the kept records themselves are spilled to temporary
 * files in {@link PipelineSettings#tempDir()}, not kept in memory. Transient: at most {@code 2 × threads} batches of
 * 256 records or 4 MiB in flight, the first {@link PipelineSettings#detectionSample()} records while detecting, and
 * one record of at most {@link PipelineSettings#maxRecordBytes()} being cut from the input (larger records are
 * skipped without being held). With near-dedup off, ≈ 50 B per kept record.
 *
 * <h2>Determinism</h2>
 * Same input and settings → byte-identical train, eval and rejected files, whatever {@code threads}: per-record work
 * is independent, and dedup, rejected.jsonl and the spill run in input order. Duplicates keep the first occurrence.
 *
 * <p>Use: {@code new DatasetPipeline(settings).run(DatasetInput.of(path), new LocalDirectorySink(dir), listener)}.
 */
public final class DatasetPipeline {

    private final PipelineSettings settings;

    public DatasetPipeline(PipelineSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public PipelineSettings settings() {
        return settings;
    }

    /**
     * Runs the pipeline once over {@code input} (closed at the end) into {@code sink}.
     *
     * @param listener progress callbacks, or null
     * @return what was published
     * @throws PipelineException when no version could be produced; the sink was aborted, nothing was published
     */
    public PipelineResult run(DatasetInput input, DatasetSink sink, ProgressListener listener) throws PipelineException {
        return PipelineRun.execute(settings, input, sink, listener);
    }
}
