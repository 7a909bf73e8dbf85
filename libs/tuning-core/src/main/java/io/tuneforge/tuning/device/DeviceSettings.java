package io.tuneforge.tuning.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

import java.util.Locale;
import java.util.Objects;

/**
 * Where the model runs and in which floating-point type it computes.
 *
 * <p>Two settings exist: CUDA with bf16 weights and activations (what Hugging Face checkpoints are
 * stored in and what GPUs are fast at), and CPU with f32 (PyTorch's CPU kernels for bf16 abort the
 * JVM and f16 matmul on CPU is ~100× slower than f32; see {@code shared/notes/djl-verified.md}).
 *
 * <p>One setting chooses between them: system property {@value #SETTING}, or environment variable
 * {@code TUNEFORGE_DEVICE} (or {@code tuneforge.device}), with the values {@code auto} (default: GPU
 * when DJL sees one), {@code cpu} or {@code gpu} (fail when there is none). See {@code docs/gpu.md}.
 *
 * @param device the DJL device every model array lives on
 * @param computeType floating type of weights and activations: FLOAT32 on CPU, BFLOAT16 on GPU
 */
public record DeviceSettings(Device device, DataType computeType) {

    /** System property (and lower-case environment variable) that chooses the device. */
    public static final String SETTING = "tuneforge.device";
    /** Environment variable spelling of {@link #SETTING}. */
    public static final String ENV_SETTING = "TUNEFORGE_DEVICE";

    public DeviceSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(computeType, "computeType");
        if (!computeType.isFloating()) {
            throw new IllegalArgumentException("computeType " + computeType
                    + " is not a floating type; use FLOAT32 (CPU) or BFLOAT16 (GPU)");
        }
        if (!device.isGpu() && computeType != DataType.FLOAT32) {
            throw new IllegalArgumentException("computeType " + computeType + " on " + device
                    + " is not supported: PyTorch's CPU kernels abort on bf16 and crawl on f16; use FLOAT32 on CPU");
        }
    }

    /** CPU, f32. */
    public static DeviceSettings cpu() {
        return new DeviceSettings(Device.cpu(), DataType.FLOAT32);
    }

    /**
     * The first GPU, bf16.
     *
     * @throws IllegalStateException when DJL's PyTorch sees no GPU (CPU natives, no driver)
     */
    public static DeviceSettings gpu() {
        int gpus = Engine.getInstance().getGpuCount();
        if (gpus <= 0) {
            throw new IllegalStateException(SETTING + "=gpu but PyTorch (engine "
                    + Engine.getInstance().getVersion() + ") sees no GPU; install CUDA natives as docs/gpu.md"
                    + " describes, or use " + SETTING + "=auto or cpu");
        }
        return new DeviceSettings(Device.gpu(0), DataType.BFLOAT16);
    }

    /**
     * The device the {@value #SETTING} setting names; {@code auto} (the default) picks the GPU when
     * DJL sees one and the CPU otherwise.
     */
    public static DeviceSettings auto() {
        return resolve(configuredSetting());
    }

    /**
     * Resolves one value of the setting.
     *
     * @param setting {@code auto}, {@code cpu} or {@code gpu} (case-insensitive); null means auto
     * @throws IllegalArgumentException for any other value
     */
    public static DeviceSettings resolve(String setting) {
        String value = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "cpu":
                return cpu();
            case "gpu":
            case "cuda":
                return gpu();
            case "auto":
                return Engine.getInstance().getGpuCount() > 0 ? gpu() : cpu();
            default:
                throw new IllegalArgumentException(SETTING + "='" + setting
                        + "' is not a device setting; use auto, cpu or gpu");
        }
    }

    /** The raw value of the setting: system property first, then the environment; null when unset. */
    public static String configuredSetting() {
        String value = System.getProperty(SETTING);
        if (value == null) {
            value = System.getenv(ENV_SETTING);
        }
        if (value == null) {
            value = System.getenv(SETTING);
        }
        return value;
    }

    /** True on a CUDA device. */
    public boolean isGpu() {
        return device.isGpu();
    }

    @Override
    public String toString() {
        return device + "/" + computeType;
    }
}
