package io.tuneforge.dataprep;

/**
 * Where a run stands; passed to {@link ProgressListener}.
 *
 * @param phase      reading (pass 1: read, validate, clean, dedup), splitting (pass 2: write train/eval), done
 * @param bytesRead  raw input bytes read (compressed bytes for gzip)
 * @param totalBytes the input's size, or -1 when unknown
 * @param records    input records read so far
 * @param kept       records kept so far (pass 1) / written to train or eval (pass 2)
 * @param rejected   records rejected so far
 */
public record Progress(Phase phase, long bytesRead, long totalBytes, long records, long kept, long rejected) {

    public enum Phase { READING, SPLITTING, DONE }

    /** Fraction of the input read, in [0, 1], or -1 when the size is unknown. */
    public double fraction() {
        return totalBytes > 0 ? Math.min(1.0, (double) bytesRead / totalBytes) : -1;
    }
}
