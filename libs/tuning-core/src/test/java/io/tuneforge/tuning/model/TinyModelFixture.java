package io.tuneforge.tuning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.tiny.TinyModel;
import io.tuneforge.tuning.tiny.TinySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tiny model ({@link TinySpec#defaults()}) written and loaded once per test class, and a fresh
 * manager per test, closed after it. Test classes extend this (they run one class at a time; the
 * fields are reassigned by each class's {@code @BeforeAll}).
 */
public abstract class TinyModelFixture {

    @TempDir
    protected static Path modelDir;
    protected static LlamaModel model;
    protected NDManager manager;

    @BeforeAll
    static void loadTinyModel() {
        TinyModel.write(modelDir, TinySpec.defaults());
        model = LlamaModel.load(modelDir, DeviceSettings.cpu());
    }

    @AfterAll
    static void closeTinyModel() {
        model.close();
    }

    @BeforeEach
    void newManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** The largest absolute difference of two arrays of one shape. */
    public static double maxAbsDiff(NDArray a, NDArray b) {
        assertEquals(a.getShape(), b.getShape());
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        return worst;
    }
}
