package io.tuneforge.cli.data;

import java.util.Locale;

/** Human-readable byte sizes (decimal units: 1 MB = 1,000,000 bytes). */
public final class Sizes {

    private Sizes() {
    }

    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
