package io.tuneforge.augment.operation;

import java.util.Arrays;
import java.util.List;

/** What a job does to each source record; the original is always kept beside the results. */
public enum Operation {
    /** One rewrite of the prompt side, same meaning, same language. */
    PARAPHRASE("paraphrase"),
    /** {@code n} distinct rewrites of the prompt side. */
    VARIATIONS("variations"),
    /** Translate the prompt side into the pivot language and back. */
    BACK_TRANSLATE("backTranslate");

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The {@code source} label of the records it makes, e.g. {@code augment:paraphrase}. */
    public String sourceLabel() {
        return "augment:" + wireName;
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Operation::wireName).toList();
    }

    /** The operation of a wire name, or null. */
    public static Operation fromWire(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst().orElse(null);
    }
}
