package io.tuneforge.localstack;

/** A running S3-compatible server: embedded ({@link S3Server}) or a MinIO container. */
public interface S3Instance extends AutoCloseable {

    /** Path-style endpoint, e.g. {@code http://127.0.0.1:40124}. */
    String endpoint();

    String accessKey();

    String secretKey();

    /** Always {@code us-east-1}: the region both S3Proxy and MinIO accept by default. */
    default String region() {
        return "us-east-1";
    }

    @Override
    void close();
}
