package io.tuneforge.eval.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * DJL reads its settings from system properties when PyTorch is first used. The packaged service
 * ({@code java -jar quarkus-run.jar}) gets them from {@code tuneforge.eval.djl.*} here, at start, unless they were
 * given on the command line; tests get the same values from surefire.
 */
@ApplicationScoped
public class DjlRuntime {

    private static final Logger LOG = Logger.getLogger(DjlRuntime.class);

    void onStart(@Observes StartupEvent event, EvalConfig config) {
        setIfAbsent("ai.djl.offline", Boolean.toString(config.djl().offline()));
        setIfAbsent("DJL_CACHE_DIR", config.djl().cacheDir());
        setIfAbsent("ai.djl.pytorch.num_interop_threads", Integer.toString(config.djl().interopThreads()));
        LOG.debugf("DJL: offline=%s, cache %s", System.getProperty("ai.djl.offline"),
                System.getProperty("DJL_CACHE_DIR"));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
