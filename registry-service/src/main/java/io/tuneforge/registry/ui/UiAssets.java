package io.tuneforge.registry.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Paths of the browser assets that come from Maven Central. Chart.js is the webjar {@code org.webjars.npm:chart.js};
 * its version is read from the jar itself, so a version bump in the root pom needs no change here.
 */
public final class UiAssets {

    private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    /** e.g. {@code /webjars/chart.js/4.5.1/dist/chart.umd.min.js}. */
    public static final String CHART_JS = "/webjars/chart.js/" + version(CHART_JS_POM) + "/dist/chart.umd.min.js";

    private UiAssets() {
    }

    private static String version(String pomProperties) {
        try (InputStream in = UiAssets.class.getClassLoader().getResourceAsStream(pomProperties)) {
            if (in == null) {
                throw new IllegalStateException(pomProperties + " is not on the class path: the org.webjars.npm:chart.js"
                        + " dependency of registry-service is missing");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pomProperties, e);
        }
    }
}
