package io.tuneforge.tuning.peft;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic initial values of LoRA's {@code A}: PyTorch's {@code nn.Linear} default, which
 * PEFT keeps ({@code nn.init.kaiming_uniform_(A, a=math.sqrt(5))}):
 *
 * <pre>
 * gain  = sqrt(2 / (1 + a²)) = sqrt(1/3)
 * bound = gain · sqrt(3 / fan_in) = 1 / sqrt(fan_in)       fan_in = in
 * A ~ U(−bound, bound)                                    (r, in)
 * </pre>
 *
 * <p>The stream is seeded from (seed, module name) alone, so the same adapter seed gives the same
 * {@code A} for a module whatever else is targeted, in whatever order layers are attached.
 */
final class LoraInit {

    private LoraInit() {
    }

    /** Row-major (r, in) values of {@code A} for {@code moduleName}. */
    static float[] kaimingUniformA(long seed, String moduleName, int r, int in) {
        double bound = 1.0 / Math.sqrt(in);
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ fnv64(moduleName));
        float[] values = new float[Math.multiplyExact(r, in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return values;
    }

    /** 64-bit FNV-1a of the UTF-8 bytes: a stable hash (unlike Object.hashCode, fixed by its definition). */
    static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
