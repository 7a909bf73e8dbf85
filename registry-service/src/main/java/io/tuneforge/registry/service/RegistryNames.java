package io.tuneforge.registry.service;

import io.tuneforge.registry.rest.ProblemException;

import java.util.regex.Pattern;

/** The rules for alias names and tag keys and values (MLflow's, narrowed to what is safe in URLs and keys). */
public final class RegistryNames {

    /** Longest tag value accepted. */
    public static final int MAX_TAG_VALUE = 5000;

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final Pattern RESERVED_ALIAS = Pattern.compile("(?i)latest|v[0-9]+");
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.\\-/: ]{1,250}");

    private RegistryNames() {
    }

    /** @throws ProblemException 400 naming the bad alias and the rule */
    public static String alias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw ProblemException.badRequest("Alias '" + alias + "' is not valid: use 1-100 letters, digits, '_' or"
                    + " '-', starting with a letter or digit (e.g. champion, challenger)");
        }
        if (RESERVED_ALIAS.matcher(alias).matches()) {
            throw ProblemException.badRequest("Alias '" + alias + "' is reserved ('latest' and 'v<number>' name"
                    + " versions already); choose another name such as champion");
        }
        return alias;
    }

    /** @throws ProblemException 400 naming the bad key and the rule */
    public static String tagKey(String key) {
        if (key == null || !TAG_KEY.matcher(key).matches() || key.isBlank()) {
            throw ProblemException.badRequest("Tag key '" + key + "' is not valid: use 1-250 letters, digits, spaces"
                    + " or '_', '.', '-', '/', ':'");
        }
        return key;
    }

    /** @throws ProblemException 400 when the value is missing or too long */
    public static String tagValue(String key, String value) {
        if (value == null) {
            throw ProblemException.badRequest("Tag '" + key + "' needs a value: send {\"value\": \"...\"}");
        }
        if (value.length() > MAX_TAG_VALUE) {
            throw ProblemException.badRequest("Tag '" + key + "' has a value of " + value.length()
                    + " characters; at most " + MAX_TAG_VALUE + " are allowed");
        }
        return value;
    }
}
