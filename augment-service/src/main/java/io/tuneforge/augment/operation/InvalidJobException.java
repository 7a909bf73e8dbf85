package io.tuneforge.augment.operation;

import java.util.List;

/** A job that cannot run as asked; {@link #problems()} names every bad field. */
public class InvalidJobException extends RuntimeException {

    private final List<String> problems;

    public InvalidJobException(List<String> problems) {
        super("The augmentation job is invalid: " + String.join("; ", problems) + ".");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
