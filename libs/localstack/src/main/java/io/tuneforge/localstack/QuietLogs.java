package io.tuneforge.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the INFO chatter of embedded servers down to WARN, without picking a logging backend.
 *
 * <p>Works for JUL and the backends built on it (JBoss LogManager as under Quarkus, also when it
 * is only the SLF4J binding and not the installed JUL manager; slf4j-jdk14) and for slf4j-simple.
 * A category that already has a level keeps it. {@code -Dtuneforge.localstack.verbose=true} shows
 * everything.
 */
public final class QuietLogs {

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
            for (Logger logger : loggers(category)) {
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARNING);
                    HELD.add(logger);
                }
            }
        }
    }

    /**
     * Runs {@code action} with the category's loggers switched off (for expected, noisy failures).
     * Under slf4j-simple, loggers first created meanwhile stay off: it fixes levels at creation.
     */
    public static <T> T silenced(String category, Supplier<T> action) {
        List<Logger> loggers = loggers(category);
        List<Level> previous = new ArrayList<>();
        for (Logger logger : loggers) {
            previous.add(logger.getLevel());
            logger.setLevel(Level.OFF);
        }
        String simpleLoggerKey = "org.slf4j.simpleLogger.log." + category;
        boolean simpleLoggerSet = System.getProperty(simpleLoggerKey) == null;
        if (simpleLoggerSet) {
            System.setProperty(simpleLoggerKey, "off");
        }
        try {
            return action.get();
        } finally {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(previous.get(i));
            }
            if (simpleLoggerSet) {
                System.clearProperty(simpleLoggerKey);
            }
        }
    }

    /** The JUL logger of the category, and JBoss LogManager's when that is present but not the JUL manager. */
    private static synchronized List<Logger> loggers(String category) {
        List<Logger> loggers = new ArrayList<>();
        Logger jul = Logger.getLogger(category);
        loggers.add(jul);
        try {
            Class<?> contextClass = Class.forName("org.jboss.logmanager.LogContext");
            Object context = contextClass.getMethod("getLogContext").invoke(null);
            Logger jboss = (Logger) contextClass.getMethod("getLogger", String.class).invoke(context, category);
            if (jboss != jul) {
                loggers.add(jboss);
            }
        } catch (ReflectiveOperationException | LinkageError | ClassCastException absent) {
            // no JBoss LogManager: JUL alone
        }
        HELD.addAll(loggers);
        return loggers;
    }
}
