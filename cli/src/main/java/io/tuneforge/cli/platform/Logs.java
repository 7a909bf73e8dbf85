package io.tuneforge.cli.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a component's log, for error messages. */
final class Logs {

    static final int TAIL_LINES = 30;

    private Logs() {
    }

    /** "Its log, FILE, ends with:\n..." (or says there is none). */
    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "It wrote no log (" + log + ").";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "Its log, " + log + ", ends with:\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - TAIL_LINES), all.size()));
        } catch (IOException e) {
            return "(could not read its log " + log + ": " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
