package io.tuneforge.tuning.generate;

/** Why a row stopped generating. */
public enum FinishReason {
    /** It produced one of the EOS ids. */
    EOS,
    /** Its text came to contain one of the stop strings. */
    STOP_STRING,
    /** It reached {@code maxNewTokens}. */
    LENGTH
}
