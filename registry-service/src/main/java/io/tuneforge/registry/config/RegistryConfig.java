package io.tuneforge.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of registry-service ({@code tuneforge.registry.*}). */
@ConfigMapping(prefix = "tuneforge.registry")
public interface RegistryConfig {

    Api api();

    Events events();

    Schema schema();

    Auth auth();

    Registration registration();

    Outbox outbox();

    Downloads downloads();

    Ui ui();

    interface Auth {

        /**
         * The bootstrap admin token ({@code TUNEFORGE_REGISTRY_AUTH_ADMIN_TOKEN}): at least 16 characters, no '.'.
         * It creates the other tokens ({@code POST /api/tokens}); never written to a log or a page. None by default.
         */
        Optional<String> adminToken();

        /**
         * What a caller without credentials may do: {@code reader} (browse the UI and read the API; the default, for
         * a laptop) or {@code none} (every request needs a token or an OIDC login; for shared clusters).
         */
        @WithDefault("reader")
        String anonymousRole();

        /** How long the UI's sign-in cookie lasts. */
        @WithDefault("PT8H")
        Duration sessionDuration();
    }

    interface Registration {

        /** Pause between checks of versions still waiting for their artifact in the store. */
        @WithDefault("PT10S")
        Duration retryInterval();
    }

    interface Outbox {

        /** Pause between attempts to send events the broker did not take yet. */
        @WithDefault("PT2S")
        Duration retryInterval();
    }

    interface Downloads {

        /**
         * The object-store address browsers reach, when it differs from {@code tuneforge.storage.endpoint} (which
         * may be a cluster-internal name); presigned links are signed for this host.
         */
        Optional<String> endpoint();

        /** How long a presigned download link works (1 s to 7 days). */
        @WithDefault("PT1H")
        Duration expiry();
    }

    interface Ui {

        /** How many side-by-side samples the evaluation page shows at most. */
        @WithDefault("50")
        int maxSamples();
    }

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
