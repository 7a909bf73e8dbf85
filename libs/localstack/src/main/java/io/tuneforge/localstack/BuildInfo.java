package io.tuneforge.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions and paths written into this jar by the build (see {@code build.properties}). */
final class BuildInfo {

    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    static String s3proxyVersion() {
        return get("s3proxy.version");
    }

    static String kafkaVersion() {
        return get("kafka.version");
    }

    /** The local Maven repository of the build, or {@code null} if it was not recorded. */
    static String buildMavenRepository() {
        String value = PROPERTIES.getProperty("maven.repo.local");
        return value == null || value.startsWith("${") ? null : value;
    }

    private static String get(String key) {
        String value = PROPERTIES.getProperty(key);
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException("build.properties has no filtered value for '" + key
                    + "' (got " + value + "); build tuneforge-localstack with Maven so resources are filtered");
        }
        return value;
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read io/tuneforge/localstack/build.properties", e);
        }
        return properties;
    }
}
