package io.tuneforge.bench.suite;

import java.util.Locale;

/** Number formatting of the report, in one locale (dots for decimals, commas for thousands). */
public final class Fmt {

    private Fmt() {
    }

    public static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }

    /** "0.94×". */
    public static String ratio(double r) {
        return Double.isFinite(r) ? f("%.2f×", r) : "–";
    }

    /** A number as the report shows it: thousands separated above 100, two decimals below 10. */
    public static String num(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        if (Math.abs(v) >= 100) {
            return f("%,.0f", v);
        }
        return Math.abs(v) >= 10 ? f("%.1f", v) : f("%.2f", v);
    }
}
