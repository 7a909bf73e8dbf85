package io.tuneforge.bench.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one run of the suite measures and how long it may take.
 *
 * <pre>
 * --threads 1,2        PyTorch / OpenMP threads of every measured process (default 2)
 * --quick              smaller configs, one repeat: the whole suite in under 2 minutes
 * --only train,decode,pipeline,dataservice,registry,jmh   sections to run (default all)
 * --repo-root DIR      the repository (default .): train_benchmark.py and the packaged services' jars
 * --python PATH        the interpreter with PyTorch for the eager baseline (default /usr/bin/python3)
 * --output FILE        also write the report there (Markdown)
 * </pre>
 *
 * @param threads thread counts, each a separate round of train, decode and pipeline runs
 * @param quick   the fast configuration (see each section for what it shrinks)
 * @param sections the sections to run, in the suite's order
 */
public record SuiteOptions(List<Integer> threads, boolean quick, Set<String> sections, Path repoRoot, String python,
                           Path output) {

    /** Every section, in the order the suite runs them. */
    public static final List<String> SECTIONS = List.of("train", "decode", "pipeline", "dataservice", "registry", "jmh");

    public SuiteOptions {
        if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--threads " + threads + " must list positive counts, e.g. 1,2");
        }
        for (String s : sections) {
            if (!SECTIONS.contains(s)) {
                throw new IllegalArgumentException("--only names section '" + s + "'; known: " + String.join(",", SECTIONS));
            }
        }
        threads = List.copyOf(threads);
        sections = Set.copyOf(sections);
    }

    public boolean runs(String section) {
        return sections.contains(section);
    }

    /** The largest thread count: the one the summary reports. */
    public int summaryThreads() {
        return threads.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    public static SuiteOptions parse(String... args) {
        List<Integer> threads = List.of(2);
        boolean quick = false;
        Set<String> sections = new LinkedHashSet<>(SECTIONS);
        Path root = Path.of(".");
        String python = "/usr/bin/python3";
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                quick = true;
                continue;
            }
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException("usage: bench/run [--quick] [--threads 1,2] [--only "
                        + String.join(",", SECTIONS) + "] [--repo-root DIR] [--python PATH] [--output FILE]");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--threads" -> threads = parseInts("--threads", v);
                case "--only" -> sections = new LinkedHashSet<>(Arrays.asList(v.split(",")));
                case "--repo-root" -> root = Path.of(v);
                case "--python" -> python = v;
                case "--output" -> output = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a
                        + "; known: --quick, --threads, --only, --repo-root, --python, --output");
            }
        }
        return new SuiteOptions(threads, quick, sections, root.toAbsolutePath().normalize(), python, output);
    }

    private static List<Integer> parseInts(String option, String value) {
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " " + value + ": '" + part + "' is not a number; give e.g. 1,2");
            }
        }
        return out;
    }
}
