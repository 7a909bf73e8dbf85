package io.tuneforge.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of registry-service ({@code tuneforge.registry.*}). */
@ConfigMapping(prefix = "tuneforge.registry")
public interface RegistryConfig {

    Api api();

    Events events();

    Schema schema();

    interface Api {

        /** Page size of list endpoints when the caller gives none. */
        @WithDefault("20")
        int defaultPageSize();

        /** Largest page size a caller may ask for. */
        @WithDefault("200")
        int maxPageSize();
    }

    interface Schema {

        /** Pause between migration attempts while PostgreSQL is unreachable at start. */
        @WithDefault("PT5S")
        Duration retryInterval();
    }

    interface Events {

        /**
         * How often one event is tried before it goes to the dead-letter topic (covers a brief database outage and
         * two replicas racing on the same event id).
         */
        @WithDefault("3")
        int attempts();

        /** Pause before the second attempt; doubled before each further one. */
        @WithDefault("PT0.5S")
        Duration retryBackoff();
    }
}
