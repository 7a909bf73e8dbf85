package io.tuneforge.localstack;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The servers a {@link LocalStack} can start. */
public enum Component {
    KAFKA, S3, POSTGRES;

    /** The lower-case name used in init args and on the command line: kafka, s3, postgres. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Component fromId(String id) {
        for (Component component : values()) {
            if (component.id().equalsIgnoreCase(id.trim())) {
                return component;
            }
        }
        throw new IllegalArgumentException("Unknown component '" + id + "'; expected one of kafka, s3, postgres");
    }

    /** Parses a comma-separated list such as {@code "kafka,s3"}; blank means none. */
    public static Set<Component> parseList(String ids) {
        Set<Component> components = EnumSet.noneOf(Component.class);
        if (ids == null || ids.isBlank()) {
            return components;
        }
        for (String id : ids.split(",")) {
            if (!id.isBlank()) {
                components.add(fromId(id));
            }
        }
        return components;
    }
}
