package io.tuneforge.tuning.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch ({@code torch.no_grad()}), which is per thread.
 *
 * <p>DJL turns grad mode off on the thread that loads the engine and on while a
 * {@code GradientCollector} is open, but every other thread starts with libtorch's default, on:
 * there a plain forward pass over parameters that require gradients records a graph, and an
 * in-place update of such a parameter fails ("a leaf Variable that requires grad is being used in
 * an in-place operation"; measured here). The trainer therefore runs evaluation inside
 * {@link #disabled()} and updates parameters through {@code stopGradient()} views.
 */
public final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        this.previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Turns autograd off on this thread until {@link #close()} restores what was there. */
    public static GradMode disabled() {
        return new GradMode(false);
    }

    /** Whether autograd records operations on this thread now. */
    public static boolean isEnabled() {
        return JniUtils.isGradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
