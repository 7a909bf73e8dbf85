package io.tuneforge.contracts.event;

/**
 * One reason why a request or record was refused.
 *
 * @param path   JSON path of the offending field, e.g. {@code hyperparameters.learningRate} or {@code lora.targetModules[2]}
 * @param reason what is wrong and what would be right, repeating the bad value
 */
public record FieldError(String path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
