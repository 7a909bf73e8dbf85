package io.tuneforge.registry.ui;

import io.quarkus.qute.TemplateExtension;
import io.tuneforge.contracts.training.TrainingStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting for the templates: times, numbers, durations, status classes. */
@TemplateExtension(namespace = "fmt")
public final class UiFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private UiFormat() {
    }

    /** {@code 2026-11-29 10:15:30 UTC}; empty for null. */
    static String utc(Instant time) {
        return time == null ? "" : TIME.format(time);
    }

    /** ISO-8601, for {@code <time datetime>}. */
    static String iso(Instant time) {
        return time == null ? "" : time.toString();
    }

    /** 4 significant digits, or scientific below 0.001 (learning rates); empty for null. */
    static String num(Double value) {
        if (value == null) {
            return "";
        }
        double v = value;
        if (v != 0 && Math.abs(v) < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** A signed difference, {@code +0.0312} / {@code -0.5}. */
    static String signed(Double value) {
        if (value == null) {
            return "";
        }
        return (value > 0 ? "+" : "") + num(value);
    }

    /**
     * CSS class of a base→tuned difference: {@code delta-up} when the tuned model is better. Lower is better for
     * perplexity and losses, higher for everything else (ROUGE, BLEU, exact match, reward accuracy).
     */
    static String better(String metric, Double delta) {
        if (delta == null || delta == 0) {
            return "";
        }
        String m = metric.toLowerCase(Locale.ROOT);
        boolean lowerIsBetter = m.contains("perplexity") || m.contains("loss");
        return (delta < 0) == lowerIsBetter ? "delta-up" : "delta-down";
    }

    /** {@code 42%} of a 0..1 share. */
    static String percent(Double share) {
        return share == null ? "" : Math.round(share * 100) + "%";
    }

    /** Width style value of a progress bar for a 0..1 share. */
    static String width(Double share) {
        return share == null ? "0%" : String.format(Locale.ROOT, "%.1f%%", Math.max(0, Math.min(1, share)) * 100);
    }

    /** {@code 1 h 05 min}, {@code 3 min 20 s}, {@code 12 s}. */
    static String duration(Double seconds) {
        if (seconds == null) {
            return "";
        }
        Duration d = Duration.ofSeconds(Math.round(seconds));
        if (d.toHours() > 0) {
            return d.toHours() + " h " + String.format(Locale.ROOT, "%02d", d.toMinutesPart()) + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toSeconds() + " s";
    }

    /** The wire name, for CSS classes and text. */
    static String wire(TrainingStatus status) {
        return status == null ? "" : status.wireName();
    }

    /** Bytes as KiB / MiB / GiB. */
    static String bytes(Long size) {
        if (size == null || size < 0) {
            return "";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = size;
        int unit = 0;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0 ? size + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    /** Lower-case, for CSS classes of model version statuses. */
    static String css(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A path segment, URL-encoded. */
    static String urlPart(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
