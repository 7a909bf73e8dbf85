package io.tuneforge.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the INFO chatter of embedded servers down to WARN, without picking a logging backend.
 *
 * <p>Works for the JUL-based backends (JBoss LogManager under Quarkus, slf4j-jdk14) and for
 * slf4j-simple; a category that already has a level keeps it. Set
 * {@code -Dtuneforge.localstack.verbose=true} to see everything.
 */
final class QuietLogs {

    /** JUL keeps loggers weakly: hold the ones whose level we set, or the level is lost at the next GC. */
    private static final List<Logger> HELD = new ArrayList<>();

    private QuietLogs() {
    }

    static synchronized void quiet(String... categories) {
        if (Boolean.getBoolean("tuneforge.localstack.verbose")) {
            return;
        }
        for (String category : categories) {
            String simpleLoggerKey = "org.slf4j.simpleLogger.log." + category;
            if (System.getProperty(simpleLoggerKey) == null) {
                System.setProperty(simpleLoggerKey, "warn");
            }
            Logger logger = Logger.getLogger(category);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
                HELD.add(logger);
            }
        }
    }
}
