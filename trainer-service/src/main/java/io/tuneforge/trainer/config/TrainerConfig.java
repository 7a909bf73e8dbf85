package io.tuneforge.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code tuneforge.trainer.*}: settings of this trainer replica. */
@ConfigMapping(prefix = "tuneforge.trainer")
public interface TrainerConfig {

    /** Name of this replica, written into each run's state (the pod name on Kubernetes). */
    @WithDefault("${HOSTNAME:trainer-service}")
    String worker();
}
