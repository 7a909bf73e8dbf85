package io.tuneforge.cli.data;

import io.tuneforge.dataprep.Progress;
import io.tuneforge.dataprep.ProgressListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One self-overwriting progress line on stderr ({@code \r}), e.g.
 * {@code reading 312.4 MB / 1.0 GB (30%) · 301,220 records · 12,004 rejected · 41 MB/s}, ended by a line break.
 */
final class ProgressLine implements ProgressListener {

    private final PrintStream err;
    private final long started = System.nanoTime();
    private boolean printed;
    private int lastLength;

    ProgressLine(PrintStream err) {
        this.err = err;
    }

    @Override
    public void onProgress(Progress p) {
        if (p.phase() == Progress.Phase.DONE) {
            finish();
            return;
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        StringBuilder s = new StringBuilder(p.phase() == Progress.Phase.READING ? "reading " : "writing ");
        s.append(Sizes.bytes(p.bytesRead()));
        if (p.totalBytes() > 0) {
            s.append(" / ").append(Sizes.bytes(p.totalBytes()))
                    .append(String.format(Locale.ROOT, " (%d%%)", Math.round(100 * p.fraction())));
        }
        s.append(String.format(Locale.ROOT, " · %,d records · %,d rejected · %s/s", p.records(), p.rejected(),
                Sizes.bytes((long) (p.bytesRead() / seconds))));
        String line = s.toString();
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
        printed = true;
    }

    /** Ends the line, if one was printed. */
    void finish() {
        if (printed) {
            err.println();
            printed = false;
        }
    }
}
