package io.tuneforge.localstack.containers;

import io.tuneforge.localstack.S3Instance;
import org.testcontainers.containers.MinIOContainer;

/** MinIO in a container. Untested here: no Docker. */
public final class ContainerS3 implements S3Instance {

    private final MinIOContainer container;

    private ContainerS3(MinIOContainer container) {
        this.container = container;
    }

    /**
     * @param image     e.g. {@code minio/minio:RELEASE.2023-09-04T19-57-37Z}
     * @param accessKey MinIO root user
     * @param secretKey MinIO root password, at least 8 characters
     */
    public static ContainerS3 start(String image, String accessKey, String secretKey) {
        MinIOContainer container = new MinIOContainer(image).withUserName(accessKey).withPassword(secretKey);
        container.start();
        return new ContainerS3(container);
    }

    @Override
    public String endpoint() {
        return container.getS3URL();
    }

    @Override
    public String accessKey() {
        return container.getUserName();
    }

    @Override
    public String secretKey() {
        return container.getPassword();
    }

    @Override
    public void close() {
        container.stop();
    }
}
