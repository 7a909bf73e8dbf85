package io.tuneforge.trainer.training;

import ai.djl.util.cuda.CudaUtils;
import io.tuneforge.trainer.config.TrainerConfig;
import io.tuneforge.tuning.device.DeviceSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * Where this replica trains and how much memory a run may use there: {@code tuneforge.trainer.compute.device}
 * resolved once (GPU in bf16 when DJL sees one, else CPU in f32), and {@code compute.memory-limit-bytes} or, when
 * absent, the device's memory — on CPU the physical memory (the container's limit, which the JVM reports) less the
 * Java heap, since PyTorch allocates outside it; on a GPU its total memory.
 */
@ApplicationScoped
public class DeviceBudget {

    private final TrainerConfig config;
    private volatile DeviceSettings device;

    public DeviceBudget(TrainerConfig config) {
        this.config = config;
    }

    /** The device runs train on (loads the PyTorch engine on first use). */
    public DeviceSettings device() {
        DeviceSettings d = device;
        if (d == null) {
            synchronized (this) {
                if (device == null) {
                    device = DeviceSettings.resolve(config.compute().device());
                }
                d = device;
            }
        }
        return d;
    }

    /** Bytes a run may use on {@link #device()}. */
    public long memoryBytes() {
        if (config.compute().memoryLimitBytes().isPresent()) {
            return config.compute().memoryLimitBytes().getAsLong();
        }
        DeviceSettings d = device();
        if (d.isGpu()) {
            MemoryUsage gpu = CudaUtils.getGpuMemory(d.device());
            return gpu.getMax() > 0 ? gpu.getMax() : gpu.getCommitted();
        }
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return Math.max(0, physical - Runtime.getRuntime().maxMemory());
    }

    /** {@code float32} on CPU, {@code bfloat16} on a GPU. */
    public String computeDtype() {
        return device().isGpu() ? "bfloat16" : "float32";
    }

    /** {@code cpu} or {@code gpu:0}. */
    public String deviceName() {
        DeviceSettings d = device();
        return d.isGpu() ? "gpu:" + d.device().getDeviceId() : "cpu";
    }
}
