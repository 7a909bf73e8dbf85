package io.tuneforge.localstack.quarkus;

import io.tuneforge.localstack.Component;
import java.util.EnumSet;

/**
 * S3 server only: sets {@code tuneforge.storage.endpoint/access-key/secret-key/bucket/region}.
 * Init args as {@link LocalStackResource}, less the component switches.
 */
public class S3Resource extends LocalStackResource {

    public S3Resource() {
        super(EnumSet.of(Component.S3));
    }
}
