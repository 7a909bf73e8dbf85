package io.tuneforge.tuning.peft;

import java.nio.file.Path;
import java.util.List;

/**
 * An adapter directory that does not hold a PEFT LoRA adapter this model can use. The message and
 * {@link #problems()} list every reason at once (missing config fields, unsupported options,
 * missing or mis-shaped tensors, NaN/Inf values).
 */
public final class MalformedAdapterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Path dir;
    private final List<String> problems;

    public MalformedAdapterException(Path dir, List<String> problems) {
        super("LoRA adapter in " + dir + " refused: " + String.join("; ", problems));
        this.dir = dir;
        this.problems = List.copyOf(problems);
    }

    /** The adapter directory. */
    public Path dir() {
        return dir;
    }

    /** One line per reason. */
    public List<String> problems() {
        return problems;
    }
}
