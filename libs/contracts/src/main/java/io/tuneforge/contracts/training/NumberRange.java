package io.tuneforge.contracts.training;

/**
 * The allowed values of one numeric field of the training request, with the words an error message uses for them
 * ({@code "expected a positive integer up to 1000, got 0"}).
 *
 * @param min          lower bound
 * @param minInclusive whether {@code min} itself is allowed
 * @param max          upper bound ({@link Double#POSITIVE_INFINITY} for none)
 * @param maxInclusive whether {@code max} itself is allowed
 * @param integer      whether only whole numbers are allowed
 * @param description  the range in words, starting with an article: "a positive integer up to 1000"
 */
public record NumberRange(double min, boolean minInclusive, double max, boolean maxInclusive, boolean integer,
                          String description) {

    /** Whole numbers from {@code min} to {@code max}, both included. */
    public static NumberRange integers(long min, long max, String description) {
        return new NumberRange(min, true, max, true, true, description);
    }

    /** Whole numbers from {@code min} up, with no upper bound. */
    public static NumberRange integersFrom(long min, String description) {
        return new NumberRange(min, true, Double.POSITIVE_INFINITY, false, true, description);
    }

    /** Any number between the bounds, each included or not. */
    public static NumberRange numbers(double min, boolean minInclusive, double max, boolean maxInclusive,
                                      String description) {
        return new NumberRange(min, minInclusive, max, maxInclusive, false, description);
    }

    /** Whether {@code value} lies in the range; null, NaN and infinities never do, fractions never do for integer ranges. */
    public boolean contains(Number value) {
        if (value == null) {
            return false;
        }
        double v = value.doubleValue();
        if (!Double.isFinite(v) || (integer && v != Math.rint(v))) {
            return false;
        }
        boolean aboveMin = minInclusive ? v >= min : v > min;
        boolean belowMax = maxInclusive ? v <= max : v < max;
        return aboveMin && belowMax;
    }

    /** {@code "expected a positive integer up to 1000, got 0"}. */
    public String reason(Object got) {
        return "expected " + description + ", got " + got;
    }
}
