package io.tuneforge.tuning.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceSettingsTest {

    @Test
    void cpuComputesInFloat32() {
        DeviceSettings cpu = DeviceSettings.resolve("CPU");
        assertEquals(Device.cpu(), cpu.device());
        assertEquals(DataType.FLOAT32, cpu.computeType());
        assertEquals(cpu, DeviceSettings.cpu());
    }

    @Test
    void autoFollowsWhatDjlSees() {
        DeviceSettings auto = DeviceSettings.resolve(null);
        if (Engine.getInstance().getGpuCount() > 0) {
            assertEquals(new DeviceSettings(Device.gpu(0), DataType.BFLOAT16), auto);
        } else {
            assertEquals(DeviceSettings.cpu(), auto);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeviceSettings.resolve("gpu"));
            assertTrue(e.getMessage().contains("tuneforge.device=gpu") && e.getMessage().contains("docs/gpu.md"),
                    e.getMessage());
        }
    }

    @Test
    void theSystemPropertyChooses() {
        String old = System.getProperty(DeviceSettings.SETTING);
        try {
            System.setProperty(DeviceSettings.SETTING, "cpu");
            assertEquals(DeviceSettings.cpu(), DeviceSettings.auto());
            System.setProperty(DeviceSettings.SETTING, "tpu");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, DeviceSettings::auto);
            assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("auto, cpu or gpu"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(DeviceSettings.SETTING);
            } else {
                System.setProperty(DeviceSettings.SETTING, old);
            }
        }
    }

    @Test
    void bf16OnCpuIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceSettings(Device.cpu(), DataType.BFLOAT16));
        assertTrue(e.getMessage().contains("bfloat16") || e.getMessage().contains("BFLOAT16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeviceSettings(Device.cpu(), DataType.INT64));
    }
}
