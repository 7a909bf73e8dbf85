package io.tuneforge.localstack;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a server's stop action exactly once: on {@link #close()}, or from a JVM shutdown hook if the
 * owner never closes it (so no child process or temporary directory outlives a normal JVM exit).
 */
final class CloseOnExit {

    private final Runnable stop;
    private final Thread hook;
    private final AtomicBoolean done = new AtomicBoolean();

    CloseOnExit(String name, Runnable stop) {
        this.stop = stop;
        this.hook = new Thread(this::runOnce, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) the stop action itself
        }
        runOnce();
    }

    private void runOnce() {
        if (done.compareAndSet(false, true)) {
            stop.run();
        }
    }
}
