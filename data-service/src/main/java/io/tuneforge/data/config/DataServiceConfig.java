package io.tuneforge.data.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code tuneforge.data.*}: how data-service runs the dataset pipeline and serves versions. The upload size limit is
 * Quarkus' own {@code quarkus.http.limits.max-body-size} (2G by default here; a larger body gets 413).
 */
@ConfigMapping(prefix = "tuneforge.data")
public interface DataServiceConfig {

    /**
     * Where the pipeline spills signatures and kept records, and where the object-store sink spools the output files
     * before uploading them; {@code java.io.tmpdir/tuneforge-data} when unset. Needs about 2× the input's size free.
     */
    Optional<Path> tempDir();

    /** Worker threads of one pipeline run; the pipeline's default (min(4, cores)) when unset. Results do not depend on it. */
    OptionalInt threads();

    /** How long a presigned download URL stays valid (1 s to 7 days). */
    @WithDefault("PT15M")
    Duration presignExpiry();

    /** Records a preview or a rejected listing returns when no {@code limit} is given. */
    @WithDefault("20")
    int defaultLimit();

    /** The largest {@code limit} a preview or a rejected listing accepts. */
    @WithDefault("1000")
    int maxLimit();

    /** Attempts to claim a version number before giving up (each lost race moves on to the next number). */
    @WithDefault("10")
    int claimAttempts();

    /** Finished jobs remembered for {@code GET /api/datasets/jobs} (the running ones are always listed). */
    @WithDefault("100")
    int finishedJobsKept();

    /** Progress of a running job is logged at most this often. */
    @WithDefault("PT10S")
    Duration progressLogInterval();
}
