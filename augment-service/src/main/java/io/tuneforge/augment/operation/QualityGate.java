package io.tuneforge.augment.operation;

import io.tuneforge.dataprep.dedup.DedupKeys;
import io.tuneforge.dataprep.dedup.MinHasher;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Judges every generated record against its source before it may join the dataset. Checks, in order (the first that
 * fails is the reason):
 * <ol>
 *   <li>{@code empty} — a rewritten field is blank;</li>
 *   <li>{@code identical} — the rewritten fields equal the source's after dataprep's normalisation (case, spacing);</li>
 *   <li>{@code near_duplicate} — MinHash Jaccard estimate over character shingles, dataprep's near-duplicate measure
 *       with the parent's threshold, shingle size and permutations, is at or above the threshold;</li>
 *   <li>{@code too_short} / {@code too_long} — length (code points) outside
 *       [minLengthRatio · source, maxLengthRatio · source + lengthSlack];</li>
 *   <li>{@code wrong_language} — the share of letters in the expected language's script (CJK / Latin / other) is
 *       below minScriptShare; checked only when the source itself reaches it, so a source full of code or foreign
 *       names does not fail its own rewrites;</li>
 *   <li>{@code duplicate_generation} — ({@link #duplicateOfSibling}) identical or near-identical to another accepted
 *       generation of the same record.</li>
 * </ol>
 * Thread-safe.
 */
public final class QualityGate {

    /** The seed dataprep's pipeline uses for its MinHash functions, so a rewrite is judged like a duplicate would be. */
    static final long PIPELINE_MINHASH_SEED = 0x7475_6e65_666f_7267L;

    /** Why a generation was rejected; {@link #wireName()} is the code in manifests. */
    public enum Reason {
        EMPTY, IDENTICAL, NEAR_DUPLICATE, TOO_SHORT, TOO_LONG, WRONG_LANGUAGE, DUPLICATE_GENERATION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A failed check. */
    public record Rejection(Reason reason, String message) {
    }

    private final GateSettings settings;
    private final MinHasher hasher;

    public QualityGate(GateSettings settings) {
        this.settings = settings;
        this.hasher = new MinHasher(settings.numPermutations(), settings.shingleSize(), PIPELINE_MINHASH_SEED);
    }

    public GateSettings settings() {
        return settings;
    }

    /**
     * Checks 1-5 for one generated record.
     *
     * @param before   the source's rewritten fields by path
     * @param after    the same paths in the generated record
     * @param language the language the rewrite must be in
     */
    public Optional<Rejection> check(Map<String, String> before, Map<String, String> after, Language language) {
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                return reject(Reason.EMPTY, "the rewrite of '" + e.getKey() + "' is empty");
            }
        }
        String source = join(before.values());
        String rewrite = join(after.values());
        String a = DedupKeys.normalize(source);
        String b = DedupKeys.normalize(rewrite);
        if (a.equals(b)) {
            return reject(Reason.IDENTICAL, "the rewrite equals its source (ignoring case and spacing)");
        }
        double similarity = similarity(a, b);
        if (similarity >= settings.nearDupThreshold()) {
            return reject(Reason.NEAR_DUPLICATE, String.format(Locale.ROOT, "the rewrite is near-identical to its"
                    + " source: MinHash Jaccard estimate %.3f >= threshold %.3f", similarity,
                    settings.nearDupThreshold()));
        }
        int sourceLength = source.codePointCount(0, source.length());
        int length = rewrite.codePointCount(0, rewrite.length());
        if (length < settings.minLengthRatio() * sourceLength) {
            return reject(Reason.TOO_SHORT, String.format(Locale.ROOT, "the rewrite has %d characters, fewer than"
                    + " %.2f x the source's %d", length, settings.minLengthRatio(), sourceLength));
        }
        double max = settings.maxLengthRatio() * sourceLength + settings.lengthSlack();
        if (length > max) {
            return reject(Reason.TOO_LONG, String.format(Locale.ROOT, "the rewrite has %d characters, more than"
                    + " %.2f x the source's %d + %d", length, settings.maxLengthRatio(), sourceLength,
                    settings.lengthSlack()));
        }
        return checkLanguage(source, rewrite, language, "the rewrite");
    }

    /**
     * Check 5 alone, for a translation's intermediate text: {@code text} must be in {@code language} if its
     * {@code source} is written mostly in its own language's script.
     */
    public Optional<Rejection> checkLanguage(String source, Language sourceLanguage, String text, Language language,
            String what) {
        if (sourceLanguage.share(source) < settings.minScriptShare()) {
            return Optional.empty();
        }
        double share = language.share(text);
        if (share < settings.minScriptShare()) {
            return reject(Reason.WRONG_LANGUAGE, String.format(Locale.ROOT, "%s should be %s, but only %.0f%% of its"
                    + " letters are %s (at least %.0f%% expected)", what, language.displayName(), 100 * share,
                    scriptName(language), 100 * settings.minScriptShare()));
        }
        return Optional.empty();
    }

    private Optional<Rejection> checkLanguage(String source, String rewrite, Language language, String what) {
        return checkLanguage(source, language, rewrite, language, what);
    }

    /** Check 6: {@code rewrite} against the record's generations accepted so far. */
    public Optional<Rejection> duplicateOfSibling(Map<String, String> after, Collection<Map<String, String>> siblings) {
        String b = DedupKeys.normalize(join(after.values()));
        for (Map<String, String> sibling : siblings) {
            String a = DedupKeys.normalize(join(sibling.values()));
            double similarity = a.equals(b) ? 1.0 : similarity(a, b);
            if (similarity >= settings.nearDupThreshold()) {
                return reject(Reason.DUPLICATE_GENERATION, String.format(Locale.ROOT, "the rewrite repeats another"
                        + " generation of the same record (MinHash Jaccard estimate %.3f)", similarity));
            }
        }
        return Optional.empty();
    }

    /** MinHash estimate of the Jaccard similarity of two normalised texts' shingle sets. */
    public double similarity(String normalizedA, String normalizedB) {
        int[] x = hasher.signature(normalizedA);
        int[] y = hasher.signature(normalizedB);
        if (x == null || y == null) {
            return x == y ? 1.0 : 0.0;
        }
        return MinHasher.similarity(x, y);
    }

    private static String join(Collection<String> texts) {
        return String.join("\n", texts);
    }

    private static String scriptName(Language language) {
        return switch (language.script()) {
            case CJK -> "CJK";
            case LATIN -> "Latin";
            case OTHER -> "in its script";
        };
    }

    private static Optional<Rejection> reject(Reason reason, String message) {
        return Optional.of(new Rejection(reason, message));
    }
}
