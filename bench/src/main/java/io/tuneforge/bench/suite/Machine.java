package io.tuneforge.bench.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a figure was measured on: CPU model, cores, memory, JVM, and its load average now. */
public final class Machine {

    private Machine() {
    }

    /** The 1-minute load average, or -1 where the platform has none. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** One line: "AMD EPYC 7B13, 2 cores, 24.0 GiB, Java 17.0.x, Linux 6.x". */
    public static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB, Java %s, %s %s", cpuModel(),
                Runtime.getRuntime().availableProcessors(), memTotalKib() / 1024.0 / 1024.0,
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
        return "unknown CPU";
    }

    static long memTotalKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** "3.4" or "n/a". */
    public static String formatLoad(double load) {
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", load);
    }
}
