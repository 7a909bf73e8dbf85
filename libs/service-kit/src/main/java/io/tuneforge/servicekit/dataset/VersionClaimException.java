package io.tuneforge.servicekit.dataset;

/** No version number could be claimed: other writers kept taking the same numbers, or the wait was interrupted. */
public class VersionClaimException extends RuntimeException {

    public VersionClaimException(String message) {
        super(message);
    }
}
