package io.tuneforge.bench.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a measured child JVM: this suite's own classpath (bench's runtime classpath holds
 * tuning-core, dataprep and JMH), a stated heap, DJL offline with {@code threads} intra-op threads and one inter-op
 * thread, and OpenMP threads that sleep instead of spinning (spinning collapses on 2 shared cores; see
 * shared/notes/djl-verified.md).
 */
public final class JavaChild {

    private JavaChild() {
    }

    public static String classpath() {
        return System.getProperty("java.class.path");
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -Xmx<heap> <DJL settings> -cp $CP <mainClass> <args>}. */
    public static List<String> command(String mainClass, int threads, String heap, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap, "-XX:+UseSerialGC"));
        cmd.addAll(djlProperties(threads));
        cmd.addAll(List.of("-cp", classpath(), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** The system properties that make DJL run offline with {@code threads} threads. */
    public static List<String> djlProperties(int threads) {
        List<String> props = new ArrayList<>(List.of("-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1"));
        String cache = System.getProperty("DJL_CACHE_DIR");
        if (cache != null) {
            props.add("-DDJL_CACHE_DIR=" + cache);
        }
        return props;
    }

    /** The environment of every measured child: passive OpenMP waiting, and the thread count for OpenMP too. */
    public static Map<String, String> environment(int threads) {
        return Map.of("OMP_WAIT_POLICY", "PASSIVE", "OMP_NUM_THREADS", Integer.toString(threads));
    }
}
