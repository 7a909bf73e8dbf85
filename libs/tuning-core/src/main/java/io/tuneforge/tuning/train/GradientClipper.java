package io.tuneforge.tuning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.Collection;

/**
 * Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}:
 *
 * <pre>
 * 1) n = √(Σ_p ‖g_p‖²)                 over every trained parameter, f32
 * 2) c = maxNorm / (n + 1e-6)
 * 3) if c &lt; 1: g_p ← g_p · c             in place (PyTorch multiplies by min(c, 1), i.e. the same)
 * </pre>
 *
 * The norm before clipping is what is reported as {@code gradNorm} (as Hugging Face's Trainer
 * logs it).
 */
public final class GradientClipper {

    private static final double EPS = 1e-6;

    private GradientClipper() {
    }

    /**
     * Measures the global norm and clips in place.
     *
     * @param grads f32 gradients (modified in place when clipped)
     * @param maxNorm the bound; 0 (or less) only measures
     * @param tmp owner of temporaries
     * @return the norm before clipping (NaN or infinite when a gradient is)
     */
    public static double clip(Collection<NDArray> grads, double maxNorm, NDManager tmp) {
        double norm = globalNorm(grads, tmp);
        double c = coefficient(norm, maxNorm);
        if (c < 1) {
            scale(grads, c, tmp);
        }
        return norm;
    }

    /**
     * The factor 3) multiplies by: {@code maxNorm / (norm + 1e-6)} when that is below 1, else 1 (also for
     * {@code maxNorm ≤ 0} and a non-finite norm).
     */
    public static double coefficient(double norm, double maxNorm) {
        if (maxNorm <= 0 || !Double.isFinite(norm)) {
            return 1;
        }
        return Math.min(1, maxNorm / (norm + EPS));
    }

    /** g ← g · factor, in place, for every array. */
    public static void scale(Collection<NDArray> grads, double factor, NDManager tmp) {
        NDArray f = tmp.create((float) factor);
        for (NDArray g : grads) {
            g.muli(f);
        }
    }

    /** √(Σ‖g‖²): each array's L2 norm (no temporary of its size), then the norm of those, read once. */
    public static double globalNorm(Collection<NDArray> grads, NDManager tmp) {
        if (grads.isEmpty()) {
            return 0;
        }
        NDList norms = new NDList(grads.size());
        for (NDArray g : grads) {
            NDArray n = g.norm();              // ()
            n.attach(tmp);
            norms.add(n.reshape(1));           // (1)
        }
        NDArray total = NDArrays.concat(norms).norm(); // ()
        total.attach(tmp);
        return total.getFloat();
    }
}
