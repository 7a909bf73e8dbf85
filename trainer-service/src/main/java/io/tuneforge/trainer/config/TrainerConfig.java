package io.tuneforge.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code tuneforge.trainer.*}: settings of this trainer replica. */
@ConfigMapping(prefix = "tuneforge.trainer")
public interface TrainerConfig {

    /** Name of this replica, written into each run's state, lease and Started event (the pod name on Kubernetes). */
    @WithDefault("${HOSTNAME:trainer-service}")
    String worker();

    /**
     * Runs this replica trains at the same time: 1, or 0 for a replica that admits and cancels but trains nothing.
     * DJL's PyTorch engine allows one gradient collector per JVM, so more parallel runs means more replicas.
     */
    @WithDefault("1")
    int maxConcurrentRuns();

    /** Local scratch space: base-model cache ({@code models/}) and one directory per running run ({@code runs/}). */
    @WithDefault("${java.io.tmpdir}/tuneforge-trainer")
    String workDir();

    /** How often every replica looks for queued runs and runs whose lease expired. */
    @WithDefault("2s")
    Duration scanInterval();

    /** Progress events: at most one every {@code every-steps} steps or {@code every-seconds}, whichever is first. */
    Progress progress();

    /** The run lease ({@code runs/{runId}/lease.json}). */
    Lease lease();

    /** The trainer's own Kafka topic that orders enqueues, claims, cancels and finishes of runs. */
    RunLog runLog();

    /** Compute settings of the training runs. */
    Compute compute();

    /** DJL system properties, set at start unless given with {@code -D} (the packaged jar needs them). */
    Djl djl();

    interface Progress {

        @WithDefault("10")
        int everySteps();

        @WithDefault("10s")
        Duration everySeconds();
    }

    interface Lease {

        /** A lease not renewed for this long is expired: another replica may take the run over. */
        @WithDefault("60s")
        Duration ttl();

        /** How often the holder renews its lease; well under {@code ttl}. */
        @WithDefault("15s")
        Duration heartbeat();
    }

    interface RunLog {

        @WithDefault("tuneforge.trainer.runs")
        String topic();

        /** How long a writer waits to see its own record applied before it gives up. */
        @WithDefault("30s")
        Duration applyTimeout();
    }

    interface Compute {

        /** {@code auto} (GPU when DJL sees one), {@code cpu} or {@code gpu}. */
        @WithDefault("auto")
        String device();

        /** PyTorch intra-op threads; all cores when absent. */
        Optional<Integer> threads();

        /**
         * Memory a run may use, in bytes; when absent, the device's: physical memory (the container's limit) less
         * the Java heap on CPU, the GPU's memory on CUDA. Requests whose estimate exceeds it are refused.
         */
        OptionalLong memoryLimitBytes();
    }

    interface Djl {

        @WithDefault("true")
        boolean offline();

        @WithDefault("${user.home}/.djl.ai")
        String cacheDir();

        @WithDefault("1")
        int interopThreads();
    }
}
