package io.tuneforge.trainer.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * DJL reads its settings from system properties when PyTorch is first used. The packaged service
 * ({@code java -jar quarkus-run.jar}) gets them from {@code tuneforge.trainer.djl.*} and
 * {@code tuneforge.trainer.compute.threads} here, at start, unless they were given on the command line; tests get
 * the same values from surefire. Also refuses a {@code max-concurrent-runs} this JVM cannot honour.
 */
@ApplicationScoped
public class DjlRuntime {

    private static final Logger LOG = Logger.getLogger(DjlRuntime.class);

    void onStart(@Observes @Priority(1) StartupEvent event, TrainerConfig config) {
        requireRunSlots(config.maxConcurrentRuns());
        setIfAbsent("ai.djl.offline", Boolean.toString(config.djl().offline()));
        setIfAbsent("DJL_CACHE_DIR", config.djl().cacheDir());
        setIfAbsent("ai.djl.pytorch.num_interop_threads", Integer.toString(config.djl().interopThreads()));
        config.compute().threads().ifPresent(t -> setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(t)));
        LOG.debugf("DJL: offline=%s, cache %s, threads %s", System.getProperty("ai.djl.offline"),
                System.getProperty("DJL_CACHE_DIR"), System.getProperty("ai.djl.pytorch.num_threads", "all cores"));
    }

    /** PyTorch compute threads the runs of this JVM use. */
    public static int computeThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    static void requireRunSlots(int slots) {
        if (slots < 0 || slots > 1) {
            throw new IllegalArgumentException("tuneforge.trainer.max-concurrent-runs=" + slots + " is not possible:"
                    + " DJL's PyTorch engine allows one gradient collector per JVM, so a replica trains at most one"
                    + " run at a time. Use 1 (or 0 for a replica that only admits and cancels) and add replicas for"
                    + " more parallel runs");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
