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
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coefficient = maxNorm / (norm + EPS);
            if (coefficient < 1) {
                NDArray c = tmp.create((float) coefficient);
                for (NDArray g : grads) {
                    g.muli(c);
                }
            }
        }
        return norm;
    }

    /** √(Σ‖g‖²) over all arrays, summed in f32 on their device and read once. */
    public static double globalNorm(Collection<NDArray> grads, NDManager tmp) {
        if (grads.isEmpty()) {
            return 0;
        }
        NDList squares = new NDList(grads.size());
        for (NDArray g : grads) {
            NDArray s = g.square().sum();      // ()
            s.attach(tmp);
            squares.add(s.reshape(1));         // (1)
        }
        NDArray total = NDArrays.concat(squares).sum().sqrt(); // ()
        total.attach(tmp);
        return total.getFloat();
    }
}
