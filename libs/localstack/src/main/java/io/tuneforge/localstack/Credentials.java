package io.tuneforge.localstack;

import java.security.SecureRandom;

/** Fresh random S3 credentials for a local server, shaped like AWS ones (20 and 40 characters). */
final class Credentials {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Credentials() {
    }

    static String accessKey() {
        return "TF" + random(UPPER, 18);
    }

    static String secretKey() {
        return random(MIXED, 40);
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
